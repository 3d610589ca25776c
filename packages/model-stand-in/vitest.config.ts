import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@godmode/model-stand-in', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

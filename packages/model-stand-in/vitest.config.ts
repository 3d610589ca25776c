import { defineProject } from 'vitest/config';
import { parallelWorkers } from '../../vitest.config.js';

export default defineProject({
  test: { name: '@godmode/model-stand-in', maxWorkers: parallelWorkers, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'godmode', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

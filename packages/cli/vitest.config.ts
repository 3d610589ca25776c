import { defineProject } from 'vitest/config';
import { parallelWorkers, workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: '@godmode/cli', maxWorkers: parallelWorkers, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

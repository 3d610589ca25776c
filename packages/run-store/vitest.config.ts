import { defineProject } from 'vitest/config';
import { parallelWorkers, workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: '@godmode/run-store', maxWorkers: parallelWorkers, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000 },
});

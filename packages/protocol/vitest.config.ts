import { defineProject } from 'vitest/config';
import { parallelWorkers, workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // Real processes on a shared 2-core machine: vitest's 5 s default is too short under load; timings live in bench/.
  test: { name: '@godmode/protocol', maxWorkers: parallelWorkers, testTimeout: 60_000, hookTimeout: 60_000, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

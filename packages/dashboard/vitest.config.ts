import { defineProject } from 'vitest/config';
import { parallelWorkers, workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // Real runs, real processes and a real browser on a shared 2-core machine: generous limits. Timings live in bench/dashboard.
  test: { name: '@godmode/dashboard', maxWorkers: parallelWorkers, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 600_000 },
});

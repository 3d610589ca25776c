import { defineProject } from 'vitest/config';
import { parallelWorkers, workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // Conductor tests run whole plans through the built binary: real processes, real waits.
  test: { name: 'godmode', maxWorkers: parallelWorkers, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 600_000 },
});

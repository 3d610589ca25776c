import { defineProject } from 'vitest/config';
import { parallelWorkers, workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // Generous limits: these tests run real runners, real processes and a real browser on a shared 2-core
  // machine, where a busy minute is normal. Timings are asserted in bench/, never here.
  test: { name: '@godmode/scorer', maxWorkers: parallelWorkers, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 900_000 },
});

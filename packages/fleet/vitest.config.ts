import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // One file at a time: each test file starts its own PostgreSQL cluster, and the fault tests own network namespaces.
  test: { name: '@godmode/fleet', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 120_000, fileParallelism: false },
});

import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: '@godmode/worktrees', testTimeout: 60_000, hookTimeout: 120_000, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

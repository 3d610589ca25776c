import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.config.js';

const include = ['src/**/*.test.ts', 'test/**/*.test.ts'];
// One file at a time: these tests load the CPU on purpose (the governor's incident replay) and a second one
// running beside them would be load the governor cannot remove.
const test = { include, testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false };

// The whole suite twice: through /proc (the Linux fast path) and through `ps` (the portable table, what macOS
// uses). `--project @godmode/supervisor` runs both; `--project "@godmode/supervisor (ps)"` one.
export default defineConfig({
  test: {
    projects: [
      { resolve: { alias: workspaceAliases }, test: { ...test, name: 'proc', env: { GODMODE_PROCESS_TABLE: 'proc' } } },
      { resolve: { alias: workspaceAliases }, test: { ...test, name: 'ps', env: { GODMODE_PROCESS_TABLE: 'ps' } } },
    ],
  },
});

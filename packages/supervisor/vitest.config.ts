import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.config.js';

const include = ['src/**/*.test.ts', 'test/**/*.test.ts'];
const test = { include, testTimeout: 60_000, hookTimeout: 60_000 };

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

import { defineConfig } from 'vitest/config';

// Tests import sibling packages from source so a change is seen without rebuilding;
// published packages resolve through their `exports` (dist) as usual.
export const workspaceAliases = {
  '@godmode/protocol': new URL('./packages/protocol/src/index.ts', import.meta.url).pathname,
  // Listed before '@godmode/run-store', which would otherwise take the subpath.
  '@godmode/run-store/testing': new URL('./packages/run-store/src/backend/conformance.ts', import.meta.url).pathname,
  '@godmode/run-store': new URL('./packages/run-store/src/index.ts', import.meta.url).pathname,
  '@godmode/supervisor': new URL('./packages/supervisor/src/index.ts', import.meta.url).pathname,
  '@godmode/reconciler': new URL('./packages/reconciler/src/index.ts', import.meta.url).pathname,
  '@godmode/scorer': new URL('./packages/scorer/src/index.ts', import.meta.url).pathname,
  // Listed before '@godmode/auth', which would otherwise take the subpath.
  '@godmode/auth/stand-in': new URL('./packages/auth/src/stand-in/index.ts', import.meta.url).pathname,
  '@godmode/auth': new URL('./packages/auth/src/index.ts', import.meta.url).pathname,
  '@godmode/model-stand-in': new URL('./packages/model-stand-in/src/index.ts', import.meta.url).pathname,
  '@godmode/cli': new URL('./packages/cli/src/index.ts', import.meta.url).pathname,
  '@godmode/dashboard': new URL('./packages/dashboard/src/index.ts', import.meta.url).pathname,
  '@godmode/worktrees': new URL('./packages/worktrees/src/index.ts', import.meta.url).pathname,
  '@godmode/fleet': new URL('./packages/fleet/src/index.ts', import.meta.url).pathname,
};

// Files of the parallel projects run this many at a time (vitest's default on 2 cores is 1: the whole suite in
// a line). Most tests wait on real processes, so 3 workers on 2 cores roughly halve the suite; the projects that
// load the CPU on purpose (supervisor) or own network namespaces (fleet) keep one file at a time and run after.
export const parallelWorkers = Number(process.env.GODMODE_TEST_WORKERS ?? 3);

// The latest native Claude Code (what users have) runs the same real-Claude suites as the pinned pure-JS one:
// the `claude-latest` project sets GODMODE_TEST_CLAUDE=latest and puts the native binary first on PATH.
const nativeClaude = [`claude-code-${process.platform}-${process.arch}`].map((pkg) => new URL(`./node_modules/@anthropic-ai/${pkg}`, import.meta.url).pathname)[0]!;
export const realClaudeSuites = [
  'packages/model-stand-in/src/real-claude.test.ts',
  'packages/supervisor/test/claude-adapter.real.test.ts',
  'packages/cli/test/claude/ask.test.ts',
  'packages/cli/test/claude/run.test.ts',
  'packages/cli/test/claude/chat.test.ts',
  'packages/cli/test/claude/account.test.ts',
  'packages/cli/test/claude/no-credentials.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      {
        resolve: { alias: workspaceAliases },
        test: {
          name: 'claude-latest',
          maxWorkers: parallelWorkers,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          include: realClaudeSuites,
          env: { GODMODE_TEST_CLAUDE: 'latest', PATH: `${nativeClaude}:${process.env.PATH ?? ''}` },
        },
      },
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

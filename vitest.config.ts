import { defineConfig } from 'vitest/config';

// Tests import sibling packages from source so a change is seen without rebuilding;
// published packages resolve through their `exports` (dist) as usual.
export const workspaceAliases = {
  '@godmode/protocol': new URL('./packages/protocol/src/index.ts', import.meta.url).pathname,
  '@godmode/run-store': new URL('./packages/run-store/src/index.ts', import.meta.url).pathname,
  '@godmode/supervisor': new URL('./packages/supervisor/src/index.ts', import.meta.url).pathname,
  '@godmode/reconciler': new URL('./packages/reconciler/src/index.ts', import.meta.url).pathname,
  '@godmode/scorer': new URL('./packages/scorer/src/index.ts', import.meta.url).pathname,
  '@godmode/auth': new URL('./packages/auth/src/index.ts', import.meta.url).pathname,
  '@godmode/model-stand-in': new URL('./packages/model-stand-in/src/index.ts', import.meta.url).pathname,
  '@godmode/cli': new URL('./packages/cli/src/index.ts', import.meta.url).pathname,
};

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // The hook is an entry of its own: oclif loads it by path (package.json → oclif.hooks).
  entry: ['src/index.ts', 'src/hooks/command-not-found.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});

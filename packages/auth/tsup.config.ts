import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // The stand-in loads PGlite lazily; it is a devDependency and must not be bundled.
  external: ['@electric-sql/pglite'],
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // The public entry, and the stand-in (test support) on its own subpath: `@godmode/auth/stand-in`.
  entry: { index: 'src/index.ts', 'stand-in': 'src/stand-in/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // The stand-in loads PGlite lazily; it is a devDependency and must not be bundled.
  external: ['@electric-sql/pglite'],
});

import { defineConfig } from 'tsup';
// A plain ES module, shared with the godmode CLI's bundle (which compiles the protocol from its source).
import { sourceRevision } from './scripts/source-revision.mjs';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // src/revision.ts: a hash of every source file (tests aside), in a fixed order.
  define: { __GODMODE_PROTOCOL_REVISION__: JSON.stringify(sourceRevision('src')) },
});

/**
 * Built-ins whose ES-module import costs a start more than its `require()`: Node makes an ES module of a built-in
 * by reading every export, and `node:fs` has getters that load modules on first read (`promises`, `ReadStream`,
 * `WriteStream`… load Node's streams). `import { readFileSync } from 'node:fs'` anywhere in the bundle cost every
 * start ≈ 5 ms (measured: `node --input-type=module -e "import 'node:fs'"` against `node -e "require('fs')"`).
 */
export const CJS_BUILTINS = ['fs'] as const;

/**
 * The esbuild plugin: an import of a CJS_BUILTINS built-in resolves to a CommonJS module that `require()`s it, so
 * esbuild reads each name where it is used (`fs.readFileSync`), and nothing reads the getters nobody uses.
 */
export function builtinImportsPlugin(names: readonly string[] = CJS_BUILTINS) {
  const filter = new RegExp(`^(node:)?(${names.join('|')})$`);
  return {
    name: 'godmode-builtin-imports',
    setup(build: {
      onResolve: (o: { filter: RegExp }, cb: (a: { path: string; namespace: string; kind: string }) => unknown) => void;
      onLoad: (o: { filter: RegExp; namespace: string }, cb: (a: { path: string }) => unknown) => void;
    }) {
      build.onResolve({ filter }, (args) => {
        // Only ES imports: a require() of it is already lazy, and the stand-in's own require() must reach Node.
        if (args.kind !== 'import-statement' || args.namespace === 'godmode-builtin') return undefined;
        return { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'godmode-builtin' };
      });
      build.onLoad({ filter: /.*/, namespace: 'godmode-builtin' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

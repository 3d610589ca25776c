import { BUILTIN_NAMESPACES } from './esbuild-runtime.js';
import { lazyModuleSource } from './lazy-modules.js';

/**
 * Built-ins whose ES-module import costs a start more than its `require()`: Node makes an ES module of a built-in
 * by reading every export, and these have getters that load more on first read — `node:process` its `stdin`,
 * `stdout` and `stderr` streams, `node:fs` `promises` and its read and write streams, `node:crypto` `webcrypto`
 * and `subtle`, `node:util` its lazily loaded helpers. Measured in one process, `await import('node:x')` against
 * `require('node:x')` (Node 24, medians of 5): process 10.7 vs 0.1 ms, crypto 12.2 vs 0.1, fs 7.1 vs 0.1, util 5.7
 * vs 0.1, os 1.1 vs 0.4; path, events, url, buffer ≈ 0.5 vs 0.1 (left as they are).
 */
export const CJS_BUILTINS = ['fs', 'process', 'crypto', 'util', 'os'] as const;

/**
 * Built-ins whose ES-module import is made lazy: each export is a getter that requires the built-in when first
 * read. `node:fs/promises` is not in Node's start-up snapshot; loading it (and the readline interface it loads)
 * costs a start ≈ 4 ms, and `orchestra ls` and `status` import it through every run-store module but call none of
 * it (test/bundle.test.ts).
 */
export const LAZY_BUILTIN_IMPORTS = ['fs/promises'] as const;

/**
 * The esbuild plugin: an import of a CJS_BUILTINS built-in resolves to a CommonJS module that `require()`s it, so
 * esbuild reads each name where it is used (`fs.readFileSync`), and nothing reads the getters nobody uses. Each of
 * these modules (but `node:crypto`'s) also requires the others, so every command that reaches one reaches all:
 * esbuild then puts them in one chunk, one module for Node to load instead of one per built-in (≈ 0.5 ms each).
 */
export function builtinImportsPlugin(names: readonly string[] = CJS_BUILTINS, lazy: readonly string[] = LAZY_BUILTIN_IMPORTS) {
  const filter = new RegExp(`^(node:)?(${names.join('|')})$`);
  const sibling = /^godmode-builtin:(node:[a-z_]+)$/;
  const lazyFilter = new RegExp(`^(node:)?(${lazy.map((n) => n.replace('/', '\\/')).join('|')})$`);
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
      build.onResolve({ filter: sibling }, (args) => ({ path: sibling.exec(args.path)![1]!, namespace: 'godmode-builtin' }));
      build.onResolve({ filter: lazyFilter }, (args) => {
        if (args.kind !== 'import-statement' || args.namespace === 'godmode-builtin-lazy') return undefined;
        return { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'godmode-builtin-lazy' };
      });
      build.onLoad({ filter: /.*/, namespace: 'godmode-builtin-lazy' }, (args) => ({ contents: lazyModuleSource(args.path, process.cwd()), loader: 'js' }));
      build.onLoad({ filter: /.*/, namespace: 'godmode-builtin' }, (args) => ({
        contents: [
          `module.exports = require(${JSON.stringify(args.path)});`,
          // Registered, so esbuild's __toESM wraps it once for every importer (src/bundle/esbuild-runtime.ts).
          `{ const m = (globalThis[Symbol.for(${JSON.stringify(BUILTIN_NAMESPACES)})] ??= new WeakMap()); if (!m.has(module.exports)) m.set(module.exports, []); }`,
          // Not node:crypto: requiring it costs a start ≈ 8 ms, and reading a run never needs it.
          ...(args.path === 'node:crypto' ? [] : names.map((n) => `node:${n}`).filter((n) => n !== args.path && n !== 'node:crypto').map((n) => `require(${JSON.stringify(`godmode-builtin:${n}`)});`)),
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}

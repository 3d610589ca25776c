import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Source edits the CLI's bundle makes to its dependencies so that a start does less (README → Start-up). Each
 * one is measured (`node --cpu-prof` of `orchestra status --json`, a loaded 2-core machine), keeps behaviour
 * for everything godmode runs on, and fails the build when the text it edits is not found (a dependency moved):
 * - oclif's `getPlatform()` imports `wsl-utils` (a chunk of its own, with PowerShell helpers) to learn whether it
 *   runs under WSL: ≈ 8.6 ms on every start. It now reads `is-wsl`, the package `wsl-utils` takes `isWsl` from,
 *   bundled in place.
 * - oclif sorts the manifest's commands with `localeCompare`, whose first call sets up ICU's collator: ≈ 8–13 ms
 *   on every start. Ids made only of lowercase letters, `:` and `-` (every godmode command) sort in plain
 *   code-unit order exactly as the collator sorts them (`-` < `:` < a–z in both: a table test checks it); any
 *   other id goes to `localeCompare`.
 * - zod's namespace re-exports every locale (≈ 40 of them, a third of zod's code) although only English, which
 *   zod sets up itself, is ever used: `z.locales` keeps `en` only.
 */
export const START_UP_PATCHES = [
  {
    name: "oclif's WSL probe",
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/,
    edit: (source: string, file: string) =>
      replaceOnce(source, "(await import('wsl-utils')).isWsl", `require(${JSON.stringify(isWslPath(file))}).default`, file),
  },
  {
    name: "oclif's command sort",
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    edit: (source: string, file: string) =>
      replaceOnce(source, '.sort((a, b) => a.id.localeCompare(b.id))', `.sort((a, b) => (${compareCommandIds.toString()})(a.id, b.id))`, file),
  },
] as const;

/** The same order as `a.localeCompare(b)` (ICU root collation) for every pair of strings. */
export function compareCommandIds(a: string, b: string): number {
  const plain = /^[a-z:-]*$/;
  if (plain.test(a) && plain.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

function replaceOnce(source: string, from: string, to: string, file: string): string {
  const at = source.indexOf(from);
  if (at === -1 || source.indexOf(from, at + 1) !== -1) {
    throw new Error(`start-up patch: expected exactly one "${from}" in ${file}; the dependency changed — update src/bundle/start-up-patches.ts`);
  }
  return source.slice(0, at) + to + source.slice(at + from.length);
}

/** `is-wsl`, as `wsl-utils` (a dependency of @oclif/core) resolves it. */
function isWslPath(oclifFile: string): string {
  const fromOclif = createRequire(oclifFile);
  const wslUtils = fromOclif.resolve('wsl-utils');
  return createRequire(wslUtils).resolve('is-wsl');
}

/** The zod file that re-exports every locale, as `export * as locales from "../locales/index.js"` names it. */
const zodLocalesIndex = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

type Build = {
  onResolve: (o: { filter: RegExp }, cb: (a: { path: string; resolveDir: string; importer: string }) => unknown) => void;
  onLoad: (o: { filter: RegExp; namespace?: string }, cb: (a: { path: string }) => unknown) => void;
};

/** The esbuild plugin applying START_UP_PATCHES and trimming zod's locales. */
export function startUpPatchesPlugin() {
  return {
    name: 'godmode-start-up-patches',
    setup(build: Build) {
      for (const patch of START_UP_PATCHES) {
        build.onLoad({ filter: patch.file }, (args) => ({
          contents: patch.edit(readFileSync(args.path, 'utf8'), args.path),
          loader: 'js',
          resolveDir: dirname(args.path),
        }));
      }
      build.onLoad({ filter: zodLocalesIndex }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};\n`,
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}

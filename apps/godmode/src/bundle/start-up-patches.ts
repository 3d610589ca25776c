import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A file of @oclif/core's `lib/`, as esbuild names it on any platform. */
function oclifLib(file: string): RegExp {
  return new RegExp(`[\\\\/]@oclif[\\\\/]core[\\\\/]lib[\\\\/]${file.split('/').map((part) => part.replace(/\./g, '\\.')).join('[\\\\/]')}$`);
}

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
 * - oclif renders every text of a command's help (summary, description, each example) with `ejs.render`, which
 *   compiles a function per text with `new Function` — for texts whose only tags are `<%= config.bin %>` or
 *   `<%= command.id %>`, or that have none: ≈ 15 ms of `orchestra run --help` (profiled). Those texts are filled in
 *   directly, with ejs's own escaping; any other tag goes to ejs (a test compares both on every text of the
 *   manifest and on edge cases).
 * - zod's namespace re-exports every locale (≈ 40 of them, a third of zod's code) although only English, which
 *   zod sets up itself, is ever used: `z.locales` keeps `en` only.
 * - oclif reads its JSON files (the manifest, `package.json`s, the theme) with `fs/promises`' `readFile`, the only
 *   use a start makes of `node:fs/promises` — not in Node's start-up snapshot, ≈ 4 ms to load with the readline
 *   interface it loads. It reads them with `fs.readFile`'s callback now: the same read, the same errors.
 * - oclif's `index.js` checks Node against `engines.node` of the `package.json` beside its folder — bundled, this
 *   app's — by requiring that file on every start (≈ 2 ms profiled: a CommonJS load of a JSON file); the range is
 *   now written in at build time, and the check is the same.
 * - Node makes `process.stdout` and `process.stderr` when they are first read: ≈ 5–6 ms each (a pipe loads `net`,
 *   a file `sync_write_stream`). oclif read both when it was loaded — `command.js` to swallow EPIPE on stdout, and
 *   `ux/index.js` to pick its spinner and to build it (which keeps both streams' `write`) — for a command that may
 *   print one line. The EPIPE handler is now attached when stdout is first made (`deferStdout`, which also tells
 *   the CLI's `writeStdout` whether it was made), the spinner is picked and built on first use, and `flush()` of a
 *   stdout nobody made returns at once. `orchestra status --json` makes neither stream (test/bundle.test.ts).
 * - oclif's `flush()` waited for a `drain` that never comes when the reader went away (the stream closes on EPIPE
 *   instead): `godmode --help | head -1` exited 13 with Node's "unsettled top-level await" warning. It returns
 *   when the stream closes, or at once when it already has.
 */
export const START_UP_PATCHES = [
  {
    name: "oclif's WSL probe",
    file: oclifLib('util/os.js'),
    lib: 'util/os.js',
    edit: (source: string, file: string) =>
      replaceOnce(source, "(await import('wsl-utils')).isWsl", `require(${JSON.stringify(isWslPath(file))}).default`, file),
  },
  {
    name: "oclif's command sort",
    file: oclifLib('config/plugin.js'),
    lib: 'config/plugin.js',
    edit: (source: string, file: string) =>
      replaceOnce(source, '.sort((a, b) => a.id.localeCompare(b.id))', `.sort((a, b) => (${compareCommandIds.toString()})(a.id, b.id))`, file),
  },
  {
    name: "oclif's help templates",
    file: oclifLib('help/util.js'),
    lib: 'help/util.js',
    edit: (source: string, file: string) =>
      replaceOnce(source, 'return ejs_1.default.render(t, context);', `return (${renderHelpText.toString()})(t, context, (text, data) => ejs_1.default.render(text, data));`, file),
  },
  {
    name: "oclif's JSON reads",
    file: oclifLib('util/fs.js'),
    lib: 'util/fs.js',
    edit: (source: string, file: string) =>
      replaceOnce(
        source,
        "const contents = await (0, promises_1.readFile)(path, 'utf8');",
        "const contents = await new Promise((resolve, reject) => node_fs_1.readFile(path, 'utf8', (error, text) => (error ? reject(error) : resolve(text))));",
        file,
      ),
  },
  {
    name: "oclif's engine check",
    file: oclifLib('index.js'),
    lib: 'index.js',
    edit: (source: string, file: string) =>
      replaceOnce(source, "const pjson = require(path.join(root, 'package.json'));", `const pjson = ${JSON.stringify({ engines: { node: ownEngines() } })};`, file),
  },
  {
    name: "oclif's EPIPE handler on stdout",
    file: oclifLib('command.js'),
    lib: 'command.js',
    edit: (source: string, file: string) =>
      replaceOnce(
        source,
        "process.stdout.on('error', (err) => {\n    if (err && err.code === 'EPIPE')\n        return;\n    throw err;\n});",
        `(${deferStdout.toString()})((stream) => stream.on('error', (err) => {\n    if (err && err.code === 'EPIPE')\n        return;\n    throw err;\n}));`,
        file,
      ),
  },
  {
    name: "oclif's spinner",
    file: oclifLib('ux/index.js'),
    lib: 'ux/index.js',
    edit: (source: string, file: string) => {
      let edited = replaceOnce(source, 'const ACTION_TYPE = (', 'const actionType = () => (', file);
      edited = replaceOnce(
        edited,
        "exports.action = ACTION_TYPE === 'spinner' ? new spinner_1.default() : new simple_1.default();",
        "let action;\nconst makeAction = () => (action ??= actionType() === 'spinner' ? new spinner_1.default() : new simple_1.default());\nObject.defineProperty(exports, 'action', { enumerable: true, configurable: true, get: makeAction });",
        file,
      );
      return replaceOnce(edited, '    action: exports.action,', '    get action() { return makeAction(); },', file);
    },
  },
  {
    name: "oclif's flush",
    file: oclifLib('flush.js'),
    lib: 'flush.js',
    edit: (source: string, file: string) =>
      replaceOnce(
        replaceOnce(
          source,
          'async function _flush() {',
          `async function _flush() {\n    if (process[Symbol.for(${JSON.stringify(DEFERRED_STDOUT)})]?.made === false) return;\n    if (process.stdout.destroyed || process.stdout.writableEnded) return;`,
          file,
        ),
        "process.stdout.once('drain', () => resolve(null));",
        "process.stdout.once('drain', () => resolve(null));\n        process.stdout.once('close', () => resolve(null));",
        file,
      ),
  },
] as const;

/**
 * The range oclif's engine check reads: bundled, its `path.join(__dirname, '..', 'package.json')` is this app's
 * `package.json` (the chunk's folder is `dist/`), so the check already held Node to godmode's own `engines.node`.
 */
function ownEngines(): string {
  // From this file (src/bundle/) or from tsup's bundled copy of its config (the app's folder), up to the app's package.json.
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const text = readText(join(dir, 'package.json'));
    const pjson = text === null ? null : (JSON.parse(text) as { name?: string; engines?: { node?: string } });
    if (pjson?.name === 'godmode' && pjson.engines?.node) return pjson.engines.node;
  }
  throw new Error(`start-up patch: no package.json of godmode with engines.node above ${import.meta.dirname}`);
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Where `deferStdout` keeps `{ made }` on `process`: read by @godmode/cli's `writeStdout` (the same key). */
export const DEFERRED_STDOUT = 'godmode.stdout';

/**
 * Makes `process.stdout`'s getter call `onMade(stream)` the first time the stream is read, and records on `process`
 * (under `Symbol.for('godmode.stdout')`) whether that happened. Runs inside oclif's bundled `command.js`, so it
 * names nothing outside itself. Where the getter cannot be replaced, the stream is made at once, as before.
 */
export function deferStdout(onMade: (stream: NodeJS.WriteStream) => void): void {
  const state = { made: false };
  const original = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (!original?.get || !original.configurable) {
    onMade(process.stdout);
    return;
  }
  const get = original.get;
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: original.enumerable,
    ...(original.set ? { set: original.set } : {}),
    get() {
      const stream = get.call(process) as NodeJS.WriteStream;
      if (!state.made) {
        state.made = true;
        onMade(stream);
      }
      return stream;
    },
  });
  (process as unknown as Record<symbol, unknown>)[Symbol.for('godmode.stdout')] = state;
}

/**
 * What `ejs.render(text, context)` gives, without ejs for a text whose tags are all `<%= config.bin %>` or
 * `<%= command.id %>` (or that has none): each is the value, escaped as ejs escapes `<%=` (`&`, `<`, `>`, `"`,
 * `'`; nothing for undefined or null). Anything else goes to `ejs`.
 */
export function renderHelpText(text: unknown, context: Record<string, unknown>, ejs: (text: unknown, data: Record<string, unknown>) => string): string {
  if (typeof text !== 'string') return ejs(text, context);
  const tag = /<%=\s*(config\.bin|command\.id)\s*%>/g;
  const rest = text.replace(tag, '');
  // ejs reads `%>` outside a tag too (it drops it): any other tag, or a stray delimiter, is ejs's to render.
  if (rest.includes('<%') || rest.includes('%>')) return ejs(text, context);
  // No `config` or `command` to read from: ejs's error is the one to give.
  for (const m of text.matchAll(tag)) if (context[m[1]!.split('.')[0]!] == null) return ejs(text, context);
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
  return text.replace(tag, (_whole, path: string) => {
    const [owner, key] = path.split('.') as [string, string];
    const value = (context[owner] as Record<string, unknown>)[key];
    return value === undefined || value === null ? '' : String(value).replace(/[&<>"']/g, (c) => entities[c]!);
  });
}

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

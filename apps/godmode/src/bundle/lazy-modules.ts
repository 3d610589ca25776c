import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Packages that oclif requires when it is imported but uses later, or never, on a start: each is bundled behind a
 * stand-in module that loads it on first use (README → Start-up). Measured with the module initialisation timed
 * (`godmode --help`, a loaded machine): semver ≈ 25 ms (oclif's engine check), debug ≈ 17 ms (every logger),
 * tinyglobby ≈ 16 ms (command discovery by pattern: this CLI lists its commands), minimatch ≈ 3 ms (plugin
 * patterns), get-package-type ≈ 3 ms, cli-spinners ≈ 2 ms (a 90 KB JSON file for a spinner); and yaml ≈ 6 ms, which
 * @godmode/protocol imports for `parsePlan` of a text, and `orchestra ls` or `status` never call. Then what oclif
 * needs only to print help or an error (`--cpu-prof` of `orchestra status --json`, module initialisation, medians
 * of 5 profiled runs): ansis ≈ 7.9 ms (oclif's colours: it probes the terminal and builds every style when
 * loaded, and colours nothing in `--json` output), supports-color ≈ 5 ms (it loads `tty`), wrap-ansi ≈ 2.6 ms,
 * ejs (help's templates), clean-stack, indent-string, string-width and widest-line below 1 ms each.
 */
export const LAZY_MODULES = [
  'semver',
  'debug',
  'tinyglobby',
  'minimatch',
  'get-package-type',
  'cli-spinners',
  'yaml',
] as const;

/**
 * Packages made lazy only where @oclif/core requires them (CommonJS, the versions oclif depends on): other
 * importers — the live task list's ES-module `string-width`, say — get the real one. See LAZY_MODULES for the
 * figures; `lilconfig` (oclif looks for an `.oclifrc` only for a plugin whose package.json has no `oclif` section)
 * read `fs.promises` when loaded, which loads `node:fs/promises` (≈ 4 ms).
 */
export const LAZY_MODULES_OF_OCLIF = ['supports-color', 'ansis', 'wrap-ansi', 'ejs', 'clean-stack', 'indent-string', 'string-width', 'widest-line', 'lilconfig'] as const;

/**
 * Modules of @oclif/core itself (paths under its `lib/`) loaded on first use the same way: `screen.js` measures the
 * terminal when it is loaded, which creates `process.stdout` and `process.stderr` (≈ 6.7 ms profiled); its two
 * widths are read only to wrap help or an error. `ux/action/spinner.js` (≈ 1.8 ms: the spinner is built only on a
 * terminal, on first use — src/bundle/start-up-patches.ts), `help/command.js` and `help/root.js` (≈ 1.2 ms: a
 * command's and the root's help, which `help/index.js` requires when oclif's error handler loads it).
 */
export const LAZY_OCLIF_INTERNALS = ['screen.js', 'ux/action/spinner.js', 'help/command.js', 'help/root.js'] as const;

/**
 * The source of the stand-in for `name`, as a CommonJS module: every export of the real module (read from it at
 * build time, in the folder of the file that imports it) as a getter that requires it on first read.
 * - `debug`: without `DEBUG` in the environment every debugger is off (what debug itself decides then): each is a
 *   no-op until `enable()` is called, which loads the real one; with `DEBUG` set, the real one at once.
 * - `semver`: `satisfies(version, '>=a[.b[.c]]')` with a plain version is compared without loading semver (oclif
 *   checks the engines range on every start); any other range or option goes to semver.
 */
export function lazyModuleSource(name: string, resolveDir: string): string {
  const real = createRequire(join(resolveDir, 'noop.js'))(name) as Record<string, unknown>;
  const keys = Object.keys(real).filter((key) => key !== '__esModule');
  const load = `let real; const load = () => (real ??= require(${JSON.stringify(name)}));`;
  if (name === 'debug') return debugSource(load);
  // An object that answers more than its own keys (ansis: an instance whose colours are inherited getters): a proxy
  // that hands every read to the real one.
  if (typeof real === 'object' && Object.getPrototypeOf(real) !== Object.prototype) return proxySource(load, Boolean(real.__esModule));
  const lines = [
    '"use strict";',
    load,
    // A module that is a function (with properties) stays one.
    typeof real === 'function' ? 'module.exports = function (...args) { return load().apply(this, args); };' : '',
    real.__esModule ? 'Object.defineProperty(module.exports, "__esModule", { value: true });' : '',
    `for (const key of ${JSON.stringify(keys)}) Object.defineProperty(module.exports, key, { enumerable: true, configurable: true, get: () => load()[key] });`,
  ];
  if (name === 'semver') lines.push(semverSatisfies);
  return lines.join('\n');
}

const semverSatisfies = `
const plain = /^v?(\\d+)\\.(\\d+)\\.(\\d+)$/;
const atLeast = /^>=\\s*v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?$/;
Object.defineProperty(module.exports, "satisfies", { enumerable: true, configurable: true, value: (version, range, options) => {
  const v = options === undefined && typeof version === "string" ? plain.exec(version) : null;
  const r = v && typeof range === "string" ? atLeast.exec(range.trim()) : null;
  if (!v || !r) return load().satisfies(version, range, options);
  // A partial lower bound is a full one with zeros: >=22.12 is >=22.12.0.
  for (let i = 1; i <= 3; i += 1) if (Number(v[i]) !== Number(r[i] ?? 0)) return Number(v[i]) > Number(r[i] ?? 0);
  return true;
} });`;

/**
 * `__esModule` is answered from the build (TypeScript's `__importDefault(require(x))`, which oclif uses, reads it
 * when the importing module loads: answering it from the real one would load it then — ansis, and the stdout
 * stream it probes, on every start).
 */
function proxySource(load: string, esModule: boolean): string {
  return `"use strict";
${load}
module.exports = new Proxy({}, {
  get: (_target, key) => (key === "__esModule" ? ${esModule ? 'true' : 'undefined'} : Reflect.get(load(), key)),
  has: (_target, key) => Reflect.has(load(), key),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
    return descriptor && { ...descriptor, configurable: true };
  },
  getPrototypeOf: () => Reflect.getPrototypeOf(load()),
});`;
}

function debugSource(load: string): string {
  return `"use strict";
${load}
if (process.env.DEBUG) module.exports = load();
else {
  let on = false;
  const off = (namespace) => {
    const debug = (...args) => { if (on) load()(namespace)(...args); };
    debug.namespace = namespace;
    debug.useColors = false;
    debug.color = "";
    debug.diff = 0;
    debug.log = () => {};
    debug.extend = (sub, delimiter) => create(namespace + (delimiter === undefined ? ":" : delimiter) + sub);
    debug.destroy = () => false;
    Object.defineProperty(debug, "enabled", { get: () => on && load()(namespace).enabled, set: () => {} });
    return debug;
  };
  const create = (namespace) => (on ? load()(namespace) : off(namespace));
  create.enable = (namespaces) => { on = true; load().enable(namespaces); };
  create.disable = () => (on ? load().disable() : "");
  create.enabled = (namespace) => on && load().enabled(namespace);
  create.debug = create;
  create.default = create;
  module.exports = create;
}`;
}

/**
 * Node built-ins that @oclif/core requires when it is imported, for a command it may never run: `child_process`
 * (a Windows shell probe), `readline` (a prompt), `perf_hooks` (its timings, taken only with `DEBUG=perf`; ≈ 2 ms
 * a start to load), `fs/promises` (≈ 4 ms; oclif reads its JSON files through fs's callbacks instead,
 * src/bundle/start-up-patches.ts). Only oclif's imports of them are made lazy.
 */
export const LAZY_BUILTINS_OF_OCLIF = ['child_process', 'readline', 'perf_hooks', 'fs/promises'] as const;

/** The esbuild plugin: imports of LAZY_MODULES resolve to their stand-ins, whose own import is the real one. */
export function lazyModulesPlugin(
  names: readonly string[] = LAZY_MODULES,
  builtins: readonly string[] = LAZY_BUILTINS_OF_OCLIF,
  internals: readonly string[] = LAZY_OCLIF_INTERNALS,
  ofOclif: readonly string[] = LAZY_MODULES_OF_OCLIF,
) {
  const escape = (n: string) => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const filter = new RegExp(`^(${[...names, ...ofOclif].map(escape).join('|')}|(node:)?(${builtins.map(escape).join('|')}))$`);
  const builtin = new RegExp(`^(node:)?(${builtins.map(escape).join('|')})$`);
  return {
    name: 'godmode-lazy-modules',
    setup(build: {
      onResolve: (o: { filter: RegExp }, cb: (a: { path: string; resolveDir: string; namespace: string; importer: string }) => unknown) => void;
      onLoad: (o: { filter: RegExp; namespace: string }, cb: (a: { path: string; pluginData?: { name: string; resolveDir: string } }) => unknown) => void;
    }) {
      build.onResolve({ filter }, (args) => {
        if (args.namespace === 'godmode-lazy') return undefined;
        if (builtin.test(args.path)) {
          if (!/[\\/]@oclif[\\/]core[\\/]/.test(args.importer)) return undefined;
          const name = `node:${args.path.replace(/^node:/, '')}`;
          return { path: `${name}@oclif`, namespace: 'godmode-lazy', pluginData: { name, resolveDir: args.resolveDir } };
        }
        if (ofOclif.includes(args.path) && !/[\\/]@oclif[\\/]core[\\/]/.test(args.importer)) return undefined;
        return { path: `${args.path}@${args.resolveDir}`, namespace: 'godmode-lazy', pluginData: { name: args.path, resolveDir: args.resolveDir } };
      });
      // A relative import inside @oclif/core/lib of one of `internals`.
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace === 'godmode-lazy') return undefined;
        const lib = /^(.*[\\/]@oclif[\\/]core[\\/]lib)[\\/]/.exec(args.importer)?.[1];
        if (lib === undefined) return undefined;
        const target = join(args.resolveDir, args.path);
        const hit = internals.find((file) => [target, `${target}.js`, join(target, 'index.js')].includes(join(lib, file)));
        if (hit === undefined) return undefined;
        const name = join(lib, hit);
        return { path: `${name}@oclif`, namespace: 'godmode-lazy', pluginData: { name, resolveDir: dirname(name) } };
      });
      build.onLoad({ filter: /.*/, namespace: 'godmode-lazy' }, (args) => {
        const { name, resolveDir } = args.pluginData!;
        return { contents: lazyModuleSource(name, resolveDir), loader: 'js', resolveDir };
      });
    },
  };
}

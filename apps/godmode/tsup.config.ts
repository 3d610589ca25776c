import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig } from 'tsup';
import { BUNDLED_PLUGINS, bundledHooks, packageRoot, pluginCommands } from './src/bundle/bundled-plugins.js';
import { commandModules } from './src/bundle/command-modules.js';
import { lazyModulesPlugin } from './src/bundle/lazy-modules.js';
import { builtinImportsPlugin } from './src/bundle/builtin-imports.js';
import { trimEntryImports } from './src/bundle/entry-imports.js';
import { patchCopyProps, patchToESM } from './src/bundle/esbuild-runtime.js';
import { sourcePackagesPlugin } from './src/bundle/source-packages.js';
import { startUpPatchesPlugin } from './src/bundle/start-up-patches.js';
// A plain ES module, shared with @godmode/protocol's own build.
import { sourceRevision } from '../../packages/protocol/scripts/source-revision.mjs';

const require = createRequire(join(process.cwd(), 'package.json'));
const cliSource = readFileSync(join(process.cwd(), '../../packages/cli/src/commands.ts'), 'utf8');
// The commands: @godmode/cli's, then those of the oclif plugins bundled as the CLI's own (src/bundle/bundled-plugins.ts).
const plugins = BUNDLED_PLUGINS.map((name) => ({ name, root: packageRoot((n) => require.resolve(n), name) }));
const commands = [
  ...commandModules(cliSource).map((c) => ({ ...c, source: require.resolve(`@godmode/cli/${c.file}`) })),
  ...plugins.flatMap(({ name, root }) => pluginCommands(name, root)),
];
const hooks = bundledHooks([{ name: '@godmode/cli', root: packageRoot((n) => require.resolve(n), '@godmode/cli') }, ...plugins]);

// Resolved lazily by Node, never bundled: `typescript` (the scorer's and oclif's optional TS support), the
// dashboard (it finds its page/ folder beside its own files), PGlite (loads its WebAssembly from beside itself),
// native or optional add-ons of dependencies; and large packages that a workspace package installs anyway and
// only some commands load (the fleet's queue, the supervisor's machine probe, the account client): bundled, they
// would be installed twice. Each is a dependency of this app (test/bundle.test.ts), at the range its workspace
// package asks for, so npm installs it once.
const external = [
  'typescript',
  '@godmode/dashboard',
  '@electric-sql/pglite',
  '@napi-rs/keyring',
  'pg-native',
  'bufferutil',
  'utf-8-validate',
  'pg-boss',
  'systeminformation',
  '@supabase/supabase-js',
];

export default defineConfig([
  // The library (`import { Conductor } from 'godmode'`): plain modules over the workspace packages, with types.
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node22',
  },
  // The CLI: one bundle (oclif, the commands, their packages) split per command, so a start resolves and
  // reads a few files instead of hundreds, and loads only the command it runs. See README → Start-up.
  {
    entry: {
      main: 'src/main.ts',
      commands: 'src/commands.ts',
      'conductor/daemon': 'src/conductor/daemon.ts',
      'hooks/init': 'src/hooks/init.ts',
      'hooks/prerun': 'src/hooks/prerun.ts',
      ...Object.fromEntries(commands.map((c) => [c.file, c.source])),
      ...Object.fromEntries(hooks.map((h) => [h.entry, h.source])),
      // @oclif/plugin-plugins forks this file beside its own module to clear a legacy yarn install.
      rm: join(plugins.find((p) => p.name === '@oclif/plugin-plugins')!.root, 'lib/rm.js'),
    },
    format: ['esm'],
    splitting: true,
    // Everything but `external` (tsup lets noExternal win over external, so the pattern leaves those out).
    noExternal: [new RegExp(`^(?!(${external.map((name) => name.replace(/[/.-]/g, '\\$&')).join('|')})(/|$))`)],
    external,
    define: {
      // @godmode/protocol is compiled from its source here (src/bundle/source-packages.ts): its revision as its own build fixes it.
      __GODMODE_PROTOCOL_REVISION__: JSON.stringify(sourceRevision(join(process.cwd(), '../../packages/protocol/src'))),
      // A string, parsed at run time: an object here would make esbuild wrap every module in an initialiser.
      __GODMODE_COMMAND_MODULES__: JSON.stringify(JSON.stringify(commands.map(({ id, file, name }) => ({ id, file, name })))),
      // Bundled CommonJS (oclif, write-file-atomic) reads __filename and __dirname: the chunk's own.
      __filename: 'import.meta.filename',
      __dirname: 'import.meta.dirname',
    },
    // … and calls require(): give the ES module one.
    banner: { js: "import { createRequire as __godmodeRequire } from 'node:module'; const require = __godmodeRequire(import.meta.url);" },
    // No source maps: they would triple the installed size. Whitespace and syntax minified (a third of the size
    // installed, less to read at start-up); names are kept, so a stack trace still names its functions.
    sourcemap: false,
    // @godmode/protocol and run-store from source, imported module by module (src/bundle/source-packages.ts);
    // packages oclif requires at once but uses later or never, loaded on first use (src/bundle/lazy-modules.ts);
    // `node:fs` required rather than imported (src/bundle/builtin-imports.ts); and the measured edits of
    // src/bundle/start-up-patches.ts.
    esbuildPlugins: [sourcePackagesPlugin((name) => packageRoot((n) => require.resolve(n), name)), lazyModulesPlugin(), builtinImportsPlugin(), startUpPatchesPlugin()],
    // Keep `node:` on built-ins (Node >= 22 knows them): tsup would strip it and mark them external before the
    // plugin above sees oclif's `node:child_process`.
    removeNodeProtocol: false,
    minifyWhitespace: true,
    minifySyntax: true,
    target: 'node22',
    // Each entry's bare imports of chunks its named imports already reach, dropped (src/bundle/entry-imports.ts);
    // esbuild's __toESM no longer materialises built-ins' lazy properties, and wraps a built-in once
    // (src/bundle/esbuild-runtime.ts).
    onSuccess: async () => {
      trimEntryImports(join(process.cwd(), 'dist'));
      patchCopyProps(join(process.cwd(), 'dist'));
      patchToESM(join(process.cwd(), 'dist'));
    },
  },
]);

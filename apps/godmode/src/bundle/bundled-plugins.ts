import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandModule } from './command-modules.js';

/**
 * oclif plugins whose commands and hooks the CLI bundles as its own instead of listing them in
 * `oclif.plugins`: oclif then loads no plugin at start-up (each one was a package root to find, a package.json
 * and a manifest to read), and installing godmode does not bring their dependencies. @oclif/plugin-plugins
 * depends on `npm` and `yarn` (≈ 20 MB); bundled, it finds no `npm` beside itself and runs the user's
 * (`{prefix}/lib/node_modules/npm` above a global install, else `npm` on the PATH), which is what it documents.
 */
export const BUNDLED_PLUGINS = ['@oclif/plugin-help', '@oclif/plugin-autocomplete', '@oclif/plugin-plugins'] as const;

/** One bundled command: as CommandModule, plus the file esbuild bundles for it. */
export interface BundledCommand extends CommandModule {
  source: string;
}

export interface PluginManifest {
  commands: Record<string, { relativePath?: string[] }>;
}

/** The folder of an installed package: its `exports` may hide package.json, so walk up from its main module. */
export function packageRoot(resolveMain: (name: string) => string, name: string): string {
  let dir = dirname(resolveMain(name));
  while (dir !== dirname(dir)) {
    const pjson = join(dir, 'package.json');
    if (existsSync(pjson) && (JSON.parse(readFileSync(pjson, 'utf8')) as { name?: string }).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`bundled-plugins: no package.json named ${name} above ${resolveMain(name)}`);
}

/**
 * The commands of a plugin, read from the oclif.manifest.json it ships: each becomes an entry of the CLI bundle
 * (`commands/<plugin>/<path>`, its default export, as oclif loads a plugin's command) and an id of COMMANDS.
 * A command without a path in the manifest is an error, never a command left out.
 */
export function pluginCommands(name: string, root: string, manifest: PluginManifest = readManifest(root)): BundledCommand[] {
  const folder = name.replace(/^@/, '').replace('/', '-');
  return Object.entries(manifest.commands).map(([id, command]) => {
    const path = command.relativePath;
    if (!path?.length || !path[path.length - 1]!.endsWith('.js')) {
      throw new Error(`bundled-plugins: ${name}'s manifest gives command ${id} no relativePath to a .js file`);
    }
    const inCommands = path.slice(path.indexOf('commands') + 1).join('/').replace(/\.js$/, '');
    return { id, file: `commands/${folder}/${inCommands}`, name: 'default', source: join(root, ...path) };
  });
}

function readManifest(root: string): PluginManifest {
  return JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as PluginManifest;
}

/** A plugin's hooks (package.json → oclif.hooks), event → module files, absolute. */
export function pluginHooks(root: string): Record<string, string[]> {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { oclif?: { hooks?: Record<string, string | string[]> } };
  return Object.fromEntries(
    Object.entries(pjson.oclif?.hooks ?? {}).map(([event, files]) => [event, (Array.isArray(files) ? files : [files]).map((file) => join(root, file))]),
  );
}

/** One hook module of the bundle: the oclif event, its entry (relative to dist, no extension) and its source. */
export interface BundledHook {
  event: string;
  entry: string;
  source: string;
}

/**
 * The hooks of the bundled plugins and of @godmode/cli (a plugin of commands only in name: its commands are
 * bundled through COMMANDS), each an entry `hooks/<plugin>/<file>` of the bundle. package.json → oclif.hooks
 * must list exactly these beside the app's own (test/manifest.test.ts), or a hook a plugin relies on would
 * silently stop running.
 */
export function bundledHooks(plugins: Array<{ name: string; root: string }>): BundledHook[] {
  return plugins.flatMap(({ name, root }) =>
    Object.entries(pluginHooks(root)).flatMap(([event, files]) =>
      files.map((source) => ({ event, entry: `hooks/${name.replace(/^@/, '').replace('/', '-')}/${source.replace(/^.*\//, '').replace(/\.js$/, '')}`, source })),
    ),
  );
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { COMMANDS } from '@godmode/cli';
import { BUNDLED_PLUGINS, bundledHooks, packageRoot, pluginCommands } from '../src/bundle/bundled-plugins.js';
import { commandModules } from '../src/bundle/command-modules.js';

// Help and command listings come from oclif.manifest.json (written by the build); a command missing from it is
// a command oclif cannot find. The build reads @godmode/cli's COMMANDS from its source: both must agree with it.
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

const appRequire = createRequire(new URL('../package.json', import.meta.url));
const plugins = BUNDLED_PLUGINS.map((name) => ({ name, root: packageRoot((n) => appRequire.resolve(n), name) }));

describe('oclif.manifest.json', () => {
  const manifest = JSON.parse(read('../oclif.manifest.json')) as { version: string; commands: Record<string, { flags: Record<string, { default?: unknown }> }> };

  it("lists exactly @godmode/cli's COMMANDS and the bundled plugins' commands", () => {
    const bundled = plugins.flatMap(({ name, root }) => pluginCommands(name, root).map((c) => c.id));
    expect(bundled).toEqual(expect.arrayContaining(['help', 'plugins', 'plugins:install', 'plugins:link', 'plugins:uninstall', 'autocomplete']));
    expect(Object.keys(manifest.commands).sort()).toEqual([...Object.keys(COMMANDS), ...bundled].sort());
  });

  it('has the package version (else oclif warns on every start)', () => {
    expect(manifest.version).toBe(JSON.parse(read('../package.json')).version);
  });

  it('freezes no default computed where it was built (the build folder, a home)', () => {
    const frozen = Object.entries(manifest.commands).flatMap(([id, c]) =>
      Object.entries(c.flags).filter(([, f]) => typeof f.default === 'string' && f.default.startsWith('/')).map(([name, f]) => `${id} --${name}=${String(f.default)}`),
    );
    expect(frozen).toEqual([]);
  });

  it.each([['orchestra', 'ls'], ['orchestra', 'run']])("%s %s --help shows the user's working directory as --cwd's default", (...words) => {
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'godmode-help-cwd-')));
    try {
      const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url));
      const r = spawnSync(process.execPath, [bin, ...words, '--help'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '200' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`--cwd=<value>`);
      expect(r.stdout).toContain(`[default: ${cwd}]`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('oclif config (package.json → oclif)', () => {
  const oclif = (JSON.parse(read('../package.json')) as { oclif: { plugins?: string[]; hooks: Record<string, string | string[]> } }).oclif;

  it('loads no plugin at start-up: the ones it uses are bundled', () => {
    expect(oclif.plugins ?? []).toEqual([]);
  });

  it("wires every hook of @godmode/cli and of the bundled plugins, beside the app's own", () => {
    const cli = { name: '@godmode/cli', root: packageRoot((n) => appRequire.resolve(n), '@godmode/cli') };
    const wired = Object.entries(oclif.hooks).flatMap(([event, files]) => (Array.isArray(files) ? files : [files]).map((file) => `${event} ${file}`));
    const expected = [
      'init ./dist/hooks/init.js',
      'prerun ./dist/hooks/prerun.js',
      ...bundledHooks([cli, ...plugins]).map((h) => `${h.event} ./dist/${h.entry}.js`),
    ];
    expect(wired.sort()).toEqual(expected.sort());
  });
});

describe('pluginCommands', () => {
  it.each([
    ['a command in a topic', { 'plugins:install': { relativePath: ['lib', 'commands', 'plugins', 'install.js'] } }, [{ id: 'plugins:install', file: 'commands/oclif-plugin-x/plugins/install', name: 'default', source: '/p/lib/commands/plugins/install.js' }]],
    ['a topic index', { plugins: { relativePath: ['lib', 'commands', 'plugins', 'index.js'] } }, [{ id: 'plugins', file: 'commands/oclif-plugin-x/plugins/index', name: 'default', source: '/p/lib/commands/plugins/index.js' }]],
  ])('reads %s', (_case, commands, expected) => {
    expect(pluginCommands('@oclif/plugin-x', '/p', { commands })).toEqual(expected);
  });

  it('refuses a command the manifest gives no module', () => {
    expect(() => pluginCommands('@oclif/plugin-x', '/p', { commands: { hidden: {} } })).toThrow(/command hidden no relativePath/);
  });
});

describe('commandModules', () => {
  const source = (map: string) =>
    [
      "import type { Command } from '@oclif/core';",
      "import { Ask } from './commands/ask.js';",
      "import { OrchestraLs } from './commands/orchestra/ls.js';",
      '',
      'export const COMMANDS: Record<string, Command.Class> = {',
      map,
      '};',
    ].join('\n');

  it.each([
    ['a bare id', '  ask: Ask,', [{ id: 'ask', file: 'commands/ask', name: 'Ask' }]],
    ['a quoted id with a topic', "  'orchestra:ls': OrchestraLs,", [{ id: 'orchestra:ls', file: 'commands/orchestra/ls', name: 'OrchestraLs' }]],
    ['the last line without a comma', "  'orchestra:ls': OrchestraLs", [{ id: 'orchestra:ls', file: 'commands/orchestra/ls', name: 'OrchestraLs' }]],
    ['a comment line', '  // listed later\n  ask: Ask,', [{ id: 'ask', file: 'commands/ask', name: 'Ask' }]],
  ])('reads %s', (_case, map, expected) => {
    expect(commandModules(source(map))).toEqual(expected);
  });

  it.each([
    ['a class that is not imported', '  whoami: Whoami,', /cannot read "whoami: Whoami,"/],
    ['two entries on one line', '  ask: Ask, other: Ask,', /cannot read/],
    ['an entry that is not `id: Class`', '  ...MORE,', /cannot read "...MORE,"/],
  ])('refuses %s', (_case, map, error) => {
    expect(() => commandModules(source(map))).toThrow(error);
  });

  it('refuses a file without the map', () => {
    expect(() => commandModules("import { Ask } from './commands/ask.js';")).toThrow(/no `export const COMMANDS/);
  });

  it("reads @godmode/cli's own file: every id of COMMANDS, each with its class", async () => {
    const modules = commandModules(read('../../../packages/cli/src/commands.ts'));
    expect(modules.map((m) => m.id).sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const m of modules) expect(COMMANDS[m.id]?.name, m.id).toBe(m.name);
  });
});

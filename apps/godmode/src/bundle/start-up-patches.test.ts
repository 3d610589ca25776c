import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '@godmode/cli';
import { compareCommandIds, DEFERRED_STDOUT, deferStdout, renderHelpText, START_UP_PATCHES } from './start-up-patches.js';

const require = createRequire(import.meta.url);
const oclifLib = require.resolve('@oclif/core').replace(/index\.js$/, '');

const sign = (n: number) => Math.sign(n);

describe('start-up patches', () => {
  // The sort keeps oclif's order: the collator's, for every id; the cases put `-`, `:`, digits, capitals and
  // prefixes side by side, where code-unit order and the collator part ways.
  const ids = [
    ...Object.keys(COMMANDS),
    'orchestra:ls', 'orchestra-ls', 'orchestra', 'orchestraa', 'a:b', 'a-b', 'ab', 'a', '', 'a:1', 'a1', 'a:B', 'aB', 'Ab',
    'plugins:link', 'plugins', 'plugins:install', 'help', 'autocomplete:script', 'x_y', 'x.y', 'é', 'e', 'f',
  ];
  it.each(ids)('%s sorts against every other id as localeCompare does', (a) => {
    for (const b of ids) expect([a, b, sign(compareCommandIds(a, b))]).toEqual([a, b, sign(a.localeCompare(b))]);
  });

  it.each(START_UP_PATCHES.map((p) => [p.name, p] as const))('%s: finds its text in the installed oclif and edits it', (_name, patch) => {
    const file = `${oclifLib}${patch.lib}`;
    expect(patch.file.test(file)).toBe(true);
    expect(START_UP_PATCHES.filter((other) => other.file.test(file))).toEqual([patch]);
    const source = readFileSync(file, 'utf8');
    const edited = patch.edit(source, file);
    expect(edited).not.toBe(source);
    for (const gone of ["import('wsl-utils')).isWsl", 'a.id.localeCompare(b.id))', 'return ejs_1.default.render(t, context);', "process.stdout.on('error'", 'ACTION_TYPE', 'action: exports.action', "require(path.join(root, 'package.json'))", 'promises_1.readFile']) {
      expect(edited).not.toContain(gone);
    }
    // Still a module Node can compile.
    expect(() => new Function('exports', 'require', 'module', '__filename', '__dirname', edited)).not.toThrow();
  });

  // The stream patches, each run in a fresh process whose stdout and stderr are pipes, reporting which streams
  // were made and when. An edited oclif module is run on its own: each of its `require`s answers a stand-in that
  // records what was built (its real neighbours would make streams of their own); the bundle as a whole is
  // checked by test/bundle.test.ts.
  const probe = (body: string) => {
    const script = `
      const { writeSync } = require('node:fs');
      const made = [];
      for (const name of ['stdout', 'stderr']) {
        const d = Object.getOwnPropertyDescriptor(process, name);
        Object.defineProperty(process, name, { configurable: true, enumerable: d.enumerable, get() { if (!made.includes(name)) made.push(name); return d.get.call(process); } });
      }
      const patches = ${JSON.stringify(Object.fromEntries(START_UP_PATCHES.map((p) => [p.lib, p.edit(readFileSync(`${oclifLib}${p.lib}`, 'utf8'), `${oclifLib}${p.lib}`)])))};
      const built = [];
      // Anything: readable, callable and constructible all the way down.
      const anything = () => new Proxy(function () {}, {
        get: (_t, key) => (key === '__esModule' ? true : key === Symbol.toPrimitive ? () => '' : anything()),
        apply: () => anything(),
        construct: () => anything(),
      });
      const standIn = (id) => {
        if (id.startsWith('./action/')) return { __esModule: true, default: class { constructor() { built.push(id); } } };
        return anything();
      };
      const load = (lib) => {
        const module = { exports: {} };
        new Function('exports', 'require', 'module', patches[lib])(module.exports, standIn, module);
        return module.exports;
      };
      const report = (o) => writeSync(3, JSON.stringify(o));
      ${body}
    `;
    const r = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, CI: '' } });
    expect(r.status, String(r.stderr)).toBe(0);
    return { report: JSON.parse(String(r.output[3])) as Record<string, unknown>, stdout: String(r.stdout) };
  };

  it("oclif's command module makes no stream when loaded; stdout gets the EPIPE handler when first read, once", () => {
    const { report, stdout } = probe(`
      load('command.js');
      const atLoad = [...made];
      const deferred = process[Symbol.for(${JSON.stringify(DEFERRED_STDOUT)})];
      const before = deferred.made;
      const listeners = () => process.stdout.listeners('error').length;
      const first = listeners();
      const second = listeners();
      process.stdout.write('written\\n');
      report({ atLoad, before, after: deferred.made, first, second });
    `);
    expect(report).toEqual({ atLoad: [], before: false, after: true, first: 1, second: 1 });
    expect(stdout).toBe('written\n');
  });

  it('deferStdout makes the stream at once where the getter cannot be replaced', () => {
    const { report } = probe(`
      const d = Object.getOwnPropertyDescriptor(process, 'stdout');
      Object.defineProperty(process, 'stdout', { ...d, configurable: false });
      let handed = 0;
      (${deferStdout.toString()})(() => handed++);
      report({ handed, made: [...made], deferred: process[Symbol.for(${JSON.stringify(DEFERRED_STDOUT)})] ?? null });
    `);
    expect(report).toEqual({ handed: 1, made: ['stdout'], deferred: null });
  });

  it("oclif's ux module makes no stream when loaded, and builds one spinner on first use", () => {
    const { report } = probe(`
      const ux = load('ux/index.js');
      const atLoad = [...made];
      const builtAtLoad = [...built];
      const action = ux.action;
      report({ atLoad, builtAtLoad, same: action === ux.action && action === ux.ux.action, built, afterUse: [...made] });
    `);
    // stderr is a pipe, not a TTY: the simple action, as oclif picks it (reading stderr to know).
    expect(report).toEqual({ atLoad: [], builtAtLoad: [], same: true, built: ['./action/simple'], afterUse: ['stderr'] });
  });

  it("oclif's readJson reads through fs's callback as it read through fs/promises: the same value, the same error", async () => {
    const load = (source: string) => {
      const module = { exports: {} as Record<string, unknown> };
      new Function('exports', 'require', 'module', source)(module.exports, createRequire(`${oclifLib}util/fs.js`), module);
      return module.exports as { readJson: (path: string, useCache?: boolean) => Promise<unknown> };
    };
    const original = readFileSync(`${oclifLib}util/fs.js`, 'utf8');
    const patched = load(START_UP_PATCHES.find((p) => p.lib === 'util/fs.js')!.edit(original, `${oclifLib}util/fs.js`));
    const before = load(original);
    const real = `${oclifLib}../package.json`;
    expect(await patched.readJson(real, false)).toEqual(await before.readJson(real, false));
    const error = (p: Promise<unknown>) => p.then(() => null, (e: NodeJS.ErrnoException) => ({ code: e.code, message: e.message }));
    expect(await error(patched.readJson('/nonexistent/godmode.json', false))).toEqual(await error(before.readJson('/nonexistent/godmode.json', false)));
    expect(await error(patched.readJson('/nonexistent/godmode.json', false))).toMatchObject({ code: 'ENOENT' });
  });

  it("oclif's engine check holds Node to godmode's engines.node, written in at build time", () => {
    const patch = START_UP_PATCHES.find((p) => p.lib === 'index.js')!;
    const edited = patch.edit(readFileSync(`${oclifLib}index.js`, 'utf8'), `${oclifLib}index.js`);
    const engines = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(edited).toContain(`const pjson = ${JSON.stringify({ engines: { node: engines } })};`);
  });

  it("oclif's flush returns at once when stdout was never made, and flushes it when it was", () => {
    const { report } = probe(`
      load('command.js');
      const { flush } = load('flush.js');
      flush().then(() => {
        const unmade = [...made];
        process.stdout.write('x');
        return flush().then(() => report({ unmade, made: [...made] }));
      });
    `);
    expect(report).toEqual({ unmade: [], made: ['stdout'] });
  });

  // Help texts: what ejs makes of every text godmode's commands give oclif's help, and of edge cases, with the
  // values escaped or not, present or not.
  const ejs = createRequire(oclifLib)('ejs') as { render: (text: unknown, data: Record<string, unknown>) => string };
  const texts = new Set<string>([
    '', 'plain', 'a\nb\r\n', '%>', '<%%= config.bin %>', '<%= config.bin%>', '<%=config.bin%>', '<%=  command.id  %>',
    '<%- config.bin %>', '<% if (true) { %>x<% } %>', '<%= config.bin.toUpperCase() %>', '<%= config.name %>',
    '<%= config.bin %> <%= command.id %> & <b> "q" \'s\'', '<%= config.bin %> -%>', '<%_ config.bin _%>', '<%# comment %>',
  ]);
  for (const command of Object.values(COMMANDS)) {
    for (const text of [command.summary, command.description, ...(command.examples ?? []).flatMap((e) => (typeof e === 'string' ? [e] : [e.description, e.command]))]) {
      if (typeof text === 'string') texts.add(text);
    }
    for (const flag of Object.values(command.flags ?? {})) if (typeof flag.description === 'string') texts.add(flag.description);
  }
  const contexts: Array<[string, Record<string, unknown>]> = [
    ['godmode', { config: { bin: 'godmode', name: 'godmode' }, command: { id: 'orchestra:run' } }],
    ['values to escape', { config: { bin: `a<b>&"c'`, name: 'x' }, command: { id: `<id>` } }],
    ['values missing', { config: {}, command: undefined }],
  ];
  it.each(contexts)('oclif help texts render as ejs renders them (%s)', (_name, context) => {
    expect(texts.size).toBeGreaterThan(100);
    for (const text of texts) {
      let expected: string;
      try {
        expected = ejs.render(text, context);
      } catch (error) {
        expect(() => renderHelpText(text, context, ejs.render)).toThrow((error as Error).constructor as new () => Error);
        continue;
      }
      expect([text, renderHelpText(text, context, ejs.render)]).toEqual([text, expected]);
    }
  });

  it('refuses to build when the text it edits is gone (a dependency changed)', () => {
    expect(() => START_UP_PATCHES[0].edit('nothing here', '/x/os.js')).toThrow(/expected exactly one .* in \/x\/os\.js/);
  });
});

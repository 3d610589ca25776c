import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '@godmode/cli';
import { compareCommandIds, renderHelpText, START_UP_PATCHES } from './start-up-patches.js';

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
    const file = patch.name.includes('WSL') ? `${oclifLib}util/os.js` : patch.name.includes('help') ? `${oclifLib}help/util.js` : `${oclifLib}config/plugin.js`;
    expect(patch.file.test(file)).toBe(true);
    const source = readFileSync(file, 'utf8');
    const edited = patch.edit(source, file);
    expect(edited).not.toBe(source);
    expect(edited).not.toContain("import('wsl-utils')).isWsl");
    expect(edited).not.toContain('a.id.localeCompare(b.id))');
    expect(edited).not.toContain('return ejs_1.default.render(t, context);');
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

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '@godmode/cli';
import { compareCommandIds, START_UP_PATCHES } from './start-up-patches.js';

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
    const file = patch.name.includes('WSL') ? `${oclifLib}util/os.js` : `${oclifLib}config/plugin.js`;
    expect(patch.file.test(file)).toBe(true);
    const source = readFileSync(file, 'utf8');
    const edited = patch.edit(source, file);
    expect(edited).not.toBe(source);
    expect(edited).not.toContain("import('wsl-utils')).isWsl");
    expect(edited).not.toContain('a.id.localeCompare(b.id))');
  });

  it('refuses to build when the text it edits is gone (a dependency changed)', () => {
    expect(() => START_UP_PATCHES[0].edit('nothing here', '/x/os.js')).toThrow(/expected exactly one .* in \/x\/os\.js/);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trimEntryImports } from './entry-imports.js';

const banner = "import { createRequire as __godmodeRequire } from 'node:module'; const require = __godmodeRequire(import.meta.url);\n";
let dist = '';
afterEach(() => rmSync(dist, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  dist = mkdtempSync(join(tmpdir(), 'godmode-entry-imports-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dist, name, '..'), { recursive: true });
    writeFileSync(join(dist, name), banner + body);
  }
}
const read = (name: string) => readFileSync(join(dist, name), 'utf8').slice(banner.length);

describe('trimEntryImports', () => {
  it('drops a bare import of a chunk the named imports reach, keeps the others, and touches nothing past the imports', () => {
    write({
      'commands/x.js': 'import{X}from"../chunk-a.js";import"../chunk-b.js";import"../chunk-c.js";import"../chunk-only.js";import{y}from"node:path";const s=\'import"../chunk-b.js";\';export{X};',
      'chunk-a.js': 'import{b}from"./chunk-b.js";import*as c from"./chunk-c.js";var X=b+c;export{X};',
      'chunk-b.js': 'import d from"./chunk-d.js";var b=d;export{b};',
      'chunk-c.js': 'var c=1;export{c};',
      'chunk-d.js': 'var d=1;export{d as default};',
      'chunk-only.js': 'globalThis.sideEffect=1;',
    });
    expect(trimEntryImports(dist)).toEqual({ files: 1, dropped: 2 });
    // chunk-only is reached by nothing else: kept; the string in the code is not an import.
    expect(read('commands/x.js')).toBe('import{X}from"../chunk-a.js";import"../chunk-only.js";import{y}from"node:path";const s=\'import"../chunk-b.js";\';export{X};');
    expect(read('chunk-a.js')).toBe('import{b}from"./chunk-b.js";import*as c from"./chunk-c.js";var X=b+c;export{X};');
    // Run again: nothing left to drop.
    expect(trimEntryImports(dist)).toEqual({ files: 0, dropped: 0 });
  });

  it('keeps a bare import reached only through another bare import', () => {
    write({
      'e.js': 'import"./chunk-a.js";import"./chunk-b.js";',
      'chunk-a.js': 'import"./chunk-b.js";',
      'chunk-b.js': 'var b=1;',
    });
    expect(trimEntryImports(dist)).toEqual({ files: 0, dropped: 0 });
  });
});

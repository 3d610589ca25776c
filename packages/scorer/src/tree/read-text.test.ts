import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plantCanaries } from '../canaries/plant-canaries.js';
import { lineAt } from './read-text.js';
import { scanChunk, type ChunkInput } from './scan-chunk.js';
import { scanTree } from './scan-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'godmode-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = (files: string[], maxBytes = 16 * 1024 * 1024): ChunkInput => ({
  files: files.map((f) => [join(dir, f), f]),
  secretSource: '(?!)',
  secretPrefixes: [],
  canarySource: null,
  keep: files,
  keepSql: false,
  maxBytes,
});

describe('scanChunk reading', () => {
  it('reads files of every size around its shared buffer whole, byte for byte', () => {
    for (const size of [0, 1, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 1_000_003]) {
      const bytes = Buffer.alloc(size, 0x61);
      if (size > 0) bytes[size - 1] = 0xff;
      writeFileSync(join(dir, 'f'), bytes);
      const out = scanChunk(fs, input(['f']));
      expect(out.truncated).toEqual([]);
      expect(Buffer.from(out.texts[0]![1], 'latin1').equals(bytes)).toBe(true);
    }
  });

  it('cuts files above the limit and says so; skips a missing file', () => {
    writeFileSync(join(dir, 'big'), Buffer.alloc(300_000, 0x62));
    const cut = scanChunk(fs, input(['big', 'nope'], 100_000));
    expect(cut.truncated).toEqual(['big']);
    expect(cut.texts).toHaveLength(1);
    expect(cut.texts[0]![1]).toHaveLength(100_000);
    expect(scanChunk(fs, input(['big'], 300_000)).truncated).toEqual([]);
  });

  it('lineAt counts lines to an offset', () => {
    expect(lineAt('a\nb\nc', 0)).toBe(1);
    expect(lineAt('a\nb\nc', 2)).toBe(2);
    expect(lineAt('a\nb\nc', 4)).toBe(3);
  });
});

describe('scanTree on a big tree', () => {
  it('reads with two threads and finds exactly what one thread finds', async () => {
    const root = join(dir, 'big-tree');
    const { values } = plantCanaries(10, 'threads');
    for (let i = 0; i < 6000; i++) {
      mkdirSync(join(root, `d${i % 50}`), { recursive: true });
      let content = `export const v${i} = ${i};\n`;
      if (i % 1000 === 7) content += `const leak = '${Buffer.from(values[i % 10]!).toString('base64')}';\n`;
      if (i % 1500 === 3) content += `const key = 'gmmcp_AbCdEf0123456789xyz${i}';\n`;
      writeFileSync(join(root, `d${i % 50}`, `f${i}.ts`), content);
    }
    const both = await scanTree(root, { canaries: values });
    expect(both.threads).toBe(2);
    expect(both.files).toHaveLength(6000);
    expect(both.canaryHits).toHaveLength(6);
    expect(both.canaryHits.every((h) => h.encoding === 'base64')).toBe(true);
    expect(both.secrets).toHaveLength(4);
    const one = scanChunk(fs, {
      files: both.files.map((f) => [f.abs, f.rel]),
      secretSource: 'gmmcp_[A-Za-z0-9_-]{16,}',
      secretPrefixes: ['gmmcp_'],
      canarySource: null,
      keep: [],
      keepSql: false,
      maxBytes: 1 << 20,
    });
    expect(one.bytes).toBe(both.bytes);
    expect(one.secrets.map(([rel]) => rel).sort()).toEqual(both.secrets.map((f) => f.file).sort());
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineAt, readLatin1 } from './read-text.js';

const dir = mkdtempSync(join(tmpdir(), 'godmode-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLatin1', () => {
  it('reads files of every size around the shared buffer whole, byte for byte', () => {
    for (const size of [0, 1, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 1_000_003]) {
      const bytes = Buffer.alloc(size, 0x61);
      if (size > 0) bytes[size - 1] = 0xff;
      writeFileSync(join(dir, 'f'), bytes);
      const read = readLatin1(join(dir, 'f'))!;
      expect(read.truncated).toBe(false);
      expect(Buffer.from(read.text, 'latin1').equals(bytes)).toBe(true);
    }
  });

  it('cuts files above the limit and says so; null for a missing file', () => {
    writeFileSync(join(dir, 'big'), Buffer.alloc(300_000, 0x62));
    expect(readLatin1(join(dir, 'big'), 100_000)).toMatchObject({ truncated: true });
    expect(readLatin1(join(dir, 'big'), 100_000)!.text).toHaveLength(100_000);
    expect(readLatin1(join(dir, 'big'), 300_000)).toMatchObject({ truncated: false });
    expect(readLatin1(join(dir, 'nope'))).toBeNull();
  });

  it('lineAt counts lines to an offset', () => {
    expect(lineAt('a\nb\nc', 0)).toBe(1);
    expect(lineAt('a\nb\nc', 2)).toBe(2);
    expect(lineAt('a\nb\nc', 4)).toBe(3);
  });
});

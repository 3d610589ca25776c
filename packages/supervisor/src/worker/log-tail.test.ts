import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogTail } from './log-tail.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'godmode-tail-')), 'stdout.log');

describe('log tail', () => {
  it('holds no more than maxLineBytes of a line that never ends, counts every byte, and keeps reading after it', () => {
    const path = file();
    writeFileSync(path, 'first\n');
    const tail = new LogTail(path, 0, { maxLineBytes: 1 << 20 });
    let bytes = 0;
    const lines: string[] = [];
    const chunk = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < 40; i++) {
      appendFileSync(path, chunk);
      const r = tail.read();
      bytes += r.bytes;
      lines.push(...r.lines);
      expect(tail.pendingBytes).toBeLessThanOrEqual(1 << 20);
    }
    appendFileSync(path, '\nafter\n');
    const r = tail.read();
    bytes += r.bytes;
    lines.push(...r.lines);
    expect(bytes).toBe(statSync(path).size);
    expect(lines[0]).toBe('first');
    expect(lines[1]!.length).toBeLessThan(70 << 10);
    expect(lines[1]).toMatch(/\[godmode: line cut\]$/);
    expect(lines[2]).toBe('after');
    expect(tail.cutLines).toBe(1);
  });

  it('keeps a log under its cap with its head and tail, offsets stay logical, and an adopter resumes exactly', () => {
    const path = file();
    const cap = 1 << 20;
    const tail = new LogTail(path, 0, { capBytes: cap });
    let written = 0;
    let n = 0;
    const seen: string[] = [];
    for (let chunk = 0; chunk < 40; chunk++) {
      let text = '';
      for (let i = 0; i < 5_000; i++) text += `line ${++n}\n`;
      appendFileSync(path, text);
      written += Buffer.byteLength(text);
      const r = tail.read();
      seen.push(...r.lines);
      expect(statSync(path).size).toBeLessThanOrEqual(cap);
    }
    expect(tail.offset).toBe(written);
    expect(tail.rotations).toBeGreaterThan(0);
    const kept = readFileSync(path, 'utf8');
    expect(kept.startsWith('line 1\nline 2\n')).toBe(true);
    expect(kept.endsWith(`line ${n}\n`)).toBe(true);
    expect(kept).toMatch(/\[godmode: \d+ bytes dropped here to keep this log under 1048576 bytes\]/);
    expect(seen.at(-1)).toBe(`line ${n}`);
    expect(existsSync(`${path}.rotation.json`)).toBe(true);
    // An adopter given the logical offset (the sum of output bytes) reads only what comes next.
    tail.close();
    const adopter = new LogTail(path, written, { capBytes: cap });
    appendFileSync(path, 'next 1\nnext 2\n');
    expect(adopter.read().lines).toEqual(['next 1', 'next 2']);
  });
});

import { appendFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GodmodeError, type JournalEntry } from '@godmode/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaleTokenError } from '../errors/stale-token-error.js';
import { Journal } from './journal.js';

let dir = '';
let file = '';
let token = 0;
const open = () => new Journal({ file, lockFile: `${file}.lock`, currentToken: () => token });

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'godmode-journal-'));
  file = path.join(dir, 'journal.jsonl');
  token = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Journal', () => {
  it('numbers entries from 1 and writes one JSON object a line', async () => {
    const journal = open();
    const a = await journal.append('run.started', { plan: 'x' });
    const b = await journal.append('stream.queued', { stream: 's' }, { token: 0 });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as JournalEntry)).toEqual([
      { seq: 1, at: a.at, kind: 'run.started', payload: { plan: 'x' } },
      { seq: 2, at: b.at, kind: 'stream.queued', token: 0, payload: { stream: 's' } },
    ]);
    await journal.close();
  });

  it('groups concurrent appends into few write+fsync batches, seq in call order', async () => {
    const journal = open();
    const entries = await Promise.all(Array.from({ length: 200 }, (_, i) => journal.append('test', { i })));
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.map((e) => (e.payload as { i: number }).i)).toEqual(entries.map((_, i) => i));
    // 200 appends issued together: one batch (allow a second on a busy machine), never 200.
    expect(journal.stats.entries).toBe(200);
    expect(journal.stats.batches).toBeLessThanOrEqual(2);
    await journal.close();
  });

  it('continues the numbering in a later process (a new instance) and after a torn tail, which it cuts away', async () => {
    const first = open();
    for (let i = 0; i < 3; i++) await first.append('test', { i });
    await first.close();
    // A crash mid-write: half a line, no newline.
    await appendFile(file, '{"seq":4,"at":"2026-11-24T00:00:00.000Z","kind":"te');

    const second = open();
    const read = await second.read();
    expect(read.tornTail).toBe(true);
    expect(read.corrupt).toEqual([]);
    expect(read.entries.map((e) => e.seq)).toEqual([1, 2, 3]);

    expect((await second.append('test', { i: 3 })).seq).toBe(4);
    const after = await second.read();
    expect(after.tornTail).toBe(false);
    expect(after.corrupt).toEqual([]);
    expect(after.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    await second.close();
  });

  it('reports a corrupt line in the middle with its line number, keeps the rest, and never throws', async () => {
    const journal = open();
    for (let i = 0; i < 4; i++) await journal.append('test', { i });
    await journal.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = '{"seq":2,"at":"x","kind":"test","payload":{"i":1}} garbage';
    lines[2] = '{"seq":"three"}';
    await writeFile(file, lines.join('\n'));

    const read = await open().read();
    expect(read.entries.map((e) => e.seq)).toEqual([1, 4]);
    expect(read.corrupt).toEqual([
      { line: 2, text: lines[1], error: expect.stringContaining('not JSON') },
      { line: 3, text: '{"seq":"three"}', error: 'no positive integer "seq"' },
    ]);
    expect(read.tornTail).toBe(false);
  });

  it('refuses an append whose fencing token is older than the lease, and allows token-less appends', async () => {
    const journal = open();
    token = 3;
    await journal.append('run.started', {}, { token: 3 });
    token = 4; // A newer conductor took the lease.
    const stale = journal.append('worker.output', {}, { token: 3 });
    await expect(stale).rejects.toSatisfy((e: unknown) => StaleTokenError.isInstance(e) && (e as StaleTokenError).currentToken === 4);
    await expect(stale).rejects.toSatisfy((e: unknown) => GodmodeError.isInstance(e) && (e as GodmodeError).code === 'STALE_TOKEN');
    const reconcile = await journal.append('stream.reconciled', { by: 'reconcile' });
    const fresh = await journal.append('run.takeover', {}, { token: 4 });
    expect([reconcile.seq, fresh.seq]).toEqual([2, 3]);
    const { entries } = await journal.read();
    expect(entries.map((e) => e.kind)).toEqual(['run.started', 'stream.reconciled', 'run.takeover']);
    await journal.close();
  });

  it('refuses a token older than one already in the journal, even if lease.json says otherwise', async () => {
    const writer = open();
    await writer.append('run.takeover', {}, { token: 7 });
    await writer.close();
    // lease.json lost or rolled back: the journal's own high-water mark still fences.
    token = 0;
    const late = open();
    await expect(late.append('worker.output', {}, { token: 6 })).rejects.toSatisfy(StaleTokenError.isInstance);
    expect((await late.append('worker.output', {}, { token: 7 })).seq).toBe(2);
    await late.close();
  });

  it('rejects bad input with typed errors, and appends after close', async () => {
    const journal = open();
    await expect(journal.append('', {})).rejects.toMatchObject({ code: 'JOURNAL_BAD_KIND' });
    await expect(journal.append('x', { n: 1n })).rejects.toMatchObject({ code: 'JOURNAL_BAD_PAYLOAD' });
    await expect(journal.append('x', {}, { token: -1 })).rejects.toMatchObject({ code: 'JOURNAL_BAD_TOKEN' });
    await journal.close();
    await expect(journal.append('x', {})).rejects.toMatchObject({ code: 'JOURNAL_CLOSED' });
  });

  it('keeps seq unique when two instances (as two processes would) append to the same file', async () => {
    const a = open();
    const b = open();
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).append('test', { i })));
    const { entries, corrupt } = await a.read();
    expect(corrupt).toEqual([]);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    await Promise.all([a.close(), b.close()]);
  });

  it('follows entries as they are appended, waiting out a partial last line', async () => {
    const writer = open();
    await writer.append('test', { i: 0 });
    await writer.append('test', { i: 1 });
    const seen: number[] = [];
    const corrupt: unknown[] = [];
    const controller = new AbortController();
    const following = open().follow(1, (e) => seen.push(e.seq), controller.signal, { intervalMs: 20, onCorrupt: (c) => corrupt.push(c) });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([2]);
    await writer.close();
    // Half a line from another writer: not delivered, not reported.
    await appendFile(file, '{"seq":3,"at":"2026-11-24T00:00:00.000Z",');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([2]);
    await appendFile(file, '"kind":"test","payload":null}\n');
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([2, 3]);
    expect(corrupt).toEqual([]);
    controller.abort();
    await following;
  });

  describe('follow keeps its place in the file', () => {
    const line = (seq: number, kind = 'test', payload: unknown = null) => `${JSON.stringify({ seq, at: '2026-11-24T00:00:00.000Z', kind, payload })}\n`;
    const follow = (fromSeq: number) => {
      const seen: JournalEntry[] = [];
      const corrupt: Array<{ line: number }> = [];
      const controller = new AbortController();
      const done = open().follow(fromSeq, (e) => seen.push(e), controller.signal, { intervalMs: 20, onCorrupt: (c) => corrupt.push(c) });
      return { seen, corrupt, stop: () => (controller.abort(), done) };
    };

    it('delivers a torn last line only once whole, also when a takeover cut it and wrote its own entry there', async () => {
      const writer = open();
      for (let i = 0; i < 3; i++) await writer.append('test', { i });
      await writer.close();
      const f = follow(1);
      await waitFor(() => f.seen.length === 2);
      // The old conductor died mid-write: a long half line.
      await appendFile(file, `{"seq":4,"at":"2026-11-24T00:00:00.000Z","kind":"worker.output","payload":{"line":"${'x'.repeat(5_000)}`);
      await new Promise((r) => setTimeout(r, 100));
      // The new conductor's first append cuts the torn tail and writes seq 4 in its place (a shorter line).
      const taker = open();
      const entry = await taker.append('run.takeover', { by: 'b' });
      expect(entry.seq).toBe(4);
      await waitFor(() => f.seen.length === 3);
      await taker.append('test', { after: true });
      await waitFor(() => f.seen.length === 4);
      await f.stop();
      await taker.close();
      expect(f.seen.map((e) => [e.seq, e.kind])).toEqual([
        [2, 'test'],
        [3, 'test'],
        [4, 'run.takeover'],
        [5, 'test'],
      ]);
      expect(f.corrupt).toEqual([]);
    });

    it('starts over when the file is cut below what it had read, delivering only seq above what it delivered', async () => {
      await writeFile(file, line(1) + line(2) + line(3, 'test', { pad: 'y'.repeat(2_000) }));
      const f = follow(0);
      await waitFor(() => f.seen.length === 3);
      // Rewritten shorter (restored from an older copy), then grown past what was delivered.
      await writeFile(file, line(1) + line(2));
      await new Promise((r) => setTimeout(r, 100));
      await appendFile(file, line(3, 'test', { again: true }) + line(4, 'after-cut'));
      await waitFor(() => f.seen.length === 4);
      await f.stop();
      expect(f.seen.map((e) => [e.seq, e.kind])).toEqual([
        [1, 'test'],
        [2, 'test'],
        [3, 'test'],
        [4, 'after-cut'],
      ]);
      expect(f.corrupt).toEqual([]);
    });

    it('reads a journal replaced by another file (a new inode) from its start', async () => {
      await writeFile(file, line(1) + line(2));
      const f = follow(0);
      await waitFor(() => f.seen.length === 2);
      // A copy with longer lines renamed over it: the old byte offset lands mid-line in the new file.
      const copy = `${file}.new`;
      await writeFile(copy, line(1, 'test', { pad: 'z'.repeat(300) }) + line(2, 'test', { pad: 'z'.repeat(300) }) + line(3, 'in-copy') + line(4, 'in-copy'));
      await rename(copy, file);
      await waitFor(() => f.seen.length === 4);
      await f.stop();
      expect(f.seen.map((e) => [e.seq, e.kind])).toEqual([
        [1, 'test'],
        [2, 'test'],
        [3, 'in-copy'],
        [4, 'in-copy'],
      ]);
      expect(f.corrupt).toEqual([]);
    });

    it('waits for a file that does not exist yet, and takes a line longer than any read buffer whole', async () => {
      const f = follow(0);
      await new Promise((r) => setTimeout(r, 60));
      const big = line(1, 'test', { blob: 'b'.repeat(9 << 20) });
      await appendFile(file, big.slice(0, 3 << 20));
      await new Promise((r) => setTimeout(r, 60));
      await appendFile(file, big.slice(3 << 20) + line(2));
      await waitFor(() => f.seen.length === 2);
      await f.stop();
      expect(f.seen.map((e) => e.seq)).toEqual([1, 2]);
      expect(((f.seen[0] as JournalEntry).payload as { blob: string }).blob.length).toBe(9 << 20);
      expect(f.corrupt).toEqual([]);
    });

    it('reports each corrupt line once, with its line number in the file, across wakes', async () => {
      await writeFile(file, line(1) + 'not json\n');
      const f = follow(0);
      await waitFor(() => f.seen.length === 1 && f.corrupt.length === 1);
      await appendFile(file, line(2));
      await appendFile(file, '{"seq":"x"}\n');
      await appendFile(file, line(3));
      await waitFor(() => f.seen.length === 3);
      await new Promise((r) => setTimeout(r, 60));
      await f.stop();
      expect(f.corrupt.map((c) => c.line)).toEqual([2, 4]);
    });

    it('delivers payloads parsed in full, also for entries whose line is not in the exact written format', async () => {
      await writeFile(file, line(1) + `{"payload":{"a":[1,2]},"kind":"odd-order","at":"x","seq":2}\n` + line(3, 'test', { b: { c: 'd' } }));
      const f = follow(1);
      await waitFor(() => f.seen.length === 2);
      await f.stop();
      expect(f.seen).toEqual([
        { seq: 2, at: 'x', kind: 'odd-order', payload: { a: [1, 2] } },
        { seq: 3, at: '2026-11-24T00:00:00.000Z', kind: 'test', payload: { b: { c: 'd' } } },
      ]);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

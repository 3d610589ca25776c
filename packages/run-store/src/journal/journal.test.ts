import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

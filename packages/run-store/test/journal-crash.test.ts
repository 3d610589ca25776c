import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../src/journal/journal.js';
import { killChild, spawnFixture } from './spawn-fixture.js';

const children = new Set<ChildProcessWithoutNullStreams>();
let dir = '';

afterEach(async () => {
  for (const child of children) await killChild(child);
  children.clear();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Spawns a burst writer and SIGKILLs it once it has reported `killAfter` resolved appends. */
async function burstAndKill(file: string, killAfter: number): Promise<{ acknowledged: Map<number, string> }> {
  const child = spawnFixture('append-burst.ts', [file, '1000000']);
  children.add(child);
  const acknowledged = new Map<number, string>();
  let buffered = '';
  let killing = false;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdout.on('data', (data: Buffer) => {
    buffered += data.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === 'ready') continue;
      const [seq, pid, i] = line.split(' ');
      acknowledged.set(Number(seq), `${pid}:${i}`);
      if (acknowledged.size >= killAfter && !killing) {
        killing = true;
        // A moment later, so the kill lands anywhere in the next batch: mid-write, mid-fsync, between.
        setTimeout(() => child.kill('SIGKILL'), killAfter % 4);
      }
    }
  });
  await closed;
  children.delete(child);
  if (child.signalCode !== 'SIGKILL') throw new Error(`burst writer ended without being killed (exit ${child.exitCode}): ${stderr}`);
  // A line only half received before the kill was never printed whole: it does not count.
  return { acknowledged };
}

describe('journal under SIGKILL', () => {
  it('keeps every resolved append, without gaps, across 20 killed writers', { timeout: 300_000 }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-journal-crash-'));
    const file = path.join(dir, 'journal.jsonl');
    const acknowledgedAll = new Map<number, string>();
    for (let round = 0; round < 20; round++) {
      // Kill at a different point each time, from the first few appends to a few hundred in.
      const killAfter = 1 + ((round * 37) % 300);
      const { acknowledged } = await burstAndKill(file, killAfter);
      expect(acknowledged.size).toBeGreaterThanOrEqual(killAfter);
      for (const [seq, who] of acknowledged) acknowledgedAll.set(seq, who);

      const read = await new Journal({ file, lockFile: `${file}.lock`, currentToken: () => 0 }).read();
      expect(read.corrupt).toEqual([]);
      // Sequence numbers run 1..n without a gap or a repeat, across every writer so far.
      expect(read.entries.map((e) => e.seq)).toEqual(read.entries.map((_, i) => i + 1));
      // Every append that had resolved is there, with the payload it was given.
      const bySeq = new Map(read.entries.map((e) => [e.seq, e.payload as { pid: number; i: number }]));
      const lost: string[] = [];
      for (const [seq, who] of acknowledgedAll) {
        const payload = bySeq.get(seq);
        if (payload === undefined || `${payload.pid}:${payload.i}` !== who) lost.push(`seq ${seq} (${who})`);
      }
      expect(lost, `acknowledged appends missing after round ${round}`).toEqual([]);
      expect(acknowledgedAll.size).toBeLessThanOrEqual(read.entries.length);
    }
    // The next writer after all those kills continues the numbering.
    const journal = new Journal({ file, lockFile: `${file}.lock`, currentToken: () => 0 });
    const before = (await journal.read()).entries.length;
    const entry = await journal.append('test.after', {});
    expect(entry.seq).toBe(before + 1);
    await journal.close();
  });
});

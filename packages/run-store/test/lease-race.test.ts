import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { parsePlan } from '@godmode/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { createRun } from '../src/run-store.js';
import { killChild, spawnFixture } from './spawn-fixture.js';

const contenders = 8;
const rounds = 50;
const children: ChildProcessWithoutNullStreams[] = [];
let root = '';

afterAll(async () => {
  await Promise.all(children.map(killChild));
  if (root) await rm(root, { recursive: true, force: true });
});

/** A contender process, and a way to send it one command and await its one-line answer. */
function contender(runDir: string, name: string) {
  const child = spawnFixture('lease-racer.ts', [runDir, name]);
  children.push(child);
  const waiting: Array<(line: Record<string, unknown>) => void> = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (data: Buffer) => {
    buffered += data.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.once('close', (code) => {
    for (const w of waiting.splice(0)) w({ error: `contender ${name} exited (${code}): ${stderr}` });
  });
  return {
    name,
    ask(command: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not answer "${command}" within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(line);
        });
        child.stdin.write(`${command}\n`);
      });
    },
  };
}

describe('the conductor lease under a race of processes', () => {
  it('has exactly one winner in each of 50 rounds, and a stale holder cannot write', { timeout: 300_000 }, async () => {
    root = await mkdtemp(path.join(tmpdir(), 'godmode-lease-race-'));
    const plan = parsePlan('name: race\nphases:\n  - id: p\n    streams:\n      - id: s\n        worker: { adapter: command, options: { command: "true" } }\n', 'race.yaml');
    const store = await createRun({ root, plan, planDir: root, runId: 'race' });
    const racers = Array.from({ length: contenders }, (_, i) => contender(store.dir, `racer-${i}`));
    // Warm up: every process loaded and answering before the first race (slow on a busy machine).
    expect(await Promise.all(racers.map((r) => r.ask('noop', 150_000)))).toEqual(racers.map(() => ({})));

    let previousWinner: (typeof racers)[number] | null = null;
    for (let round = 0; round < rounds; round++) {
      const answers = await Promise.all(racers.map((r) => r.ask('go')));
      const winners = answers.flatMap((a, i) => (typeof a.token === 'number' ? [{ racer: racers[i], token: a.token }] : []));
      expect(answers.filter((a) => a.error !== undefined)).toEqual([]);
      expect(winners, `round ${round}`).toHaveLength(1);
      const winner = winners[0] as { racer: (typeof racers)[number]; token: number };
      // Tokens strictly increase across holders: one per round.
      expect(winner.token).toBe(round + 1);
      expect((await store.lease.read())?.holder).toBe(winner.racer.name);

      expect(await winner.racer.ask('append')).toEqual({ seq: expect.any(Number) });
      if (previousWinner) {
        // The previous holder still has its old lease in hand: its writes are refused, its renewal fails.
        expect(await previousWinner.ask('stale')).toEqual({ append: 'STALE_TOKEN', renew: 'LEASE_LOST' });
      }
      // Free the lease for the next round: by release, or by letting it expire.
      expect(await winner.racer.ask(round % 2 === 0 ? 'release' : 'expire')).not.toHaveProperty('error');
      if (round % 2 === 1) await new Promise((r) => setTimeout(r, 5));
      previousWinner = winner.racer;
    }

    // Every write the journal accepted came from the holder of its time: tokens never go back.
    const { entries, corrupt } = await store.journal.read();
    expect(corrupt).toEqual([]);
    expect(entries.filter((e) => e.kind === 'test.stale')).toEqual([]);
    const tokens = entries.map((e) => e.token as number);
    expect(tokens).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    await Promise.all(racers.map((r) => r.ask('exit').catch(() => undefined)));
    await store.close();
  });
});

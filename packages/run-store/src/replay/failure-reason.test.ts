import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan } from '@godmode/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createRun, openRun } from '../run-store.js';

const plan = parsePlan('name: p\nphases:\n  - id: one\n    streams:\n      - id: a\n        worker: { adapter: claude, options: { prompt: hi } }\n', 'plan.yaml');
let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('replay: why a worker failed', () => {
  it('keeps the first failure reason of each attempt (read in full, though worker payloads are skimmed)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-store-'));
    const store = await createRun({ root: dir, plan, planDir: dir, runId: 'r1' });
    const lease = (await store.lease.acquire({ holder: 'me', ttlMs: 10_000 }))!;
    const w = (attempt: number) => ({ stream: 'a', attempt, pid: 10 + attempt, startTime: '1', cmdline: 'claude', pgid: 10 + attempt });
    const append = (kind: string, payload: unknown) => store.journal.append(kind, payload, { token: lease.token });
    await append('run.started', { runId: 'r1' });
    await append('stream.spawned', { stream: 'a', attempt: 1, identity: w(1) });
    await append('worker.error', { type: 'error', worker: w(1), t: 1, at: 'x', code: 'not-logged-in', message: 'Not logged in · Please run /login' });
    await append('worker.result', { type: 'result', worker: w(1), t: 1, at: 'x', isError: true, subtype: 'success', text: 'Not logged in · Please run /login' });
    await append('worker.exited', { type: 'exited', worker: w(1), t: 2, at: 'x', how: 'exited', exitCode: 1, signal: null });
    await append('stream.spawned', { stream: 'a', attempt: 2, identity: w(2) });
    await append('worker.result', { type: 'result', worker: w(2), t: 1, at: 'x', isError: true, subtype: 'success', text: 'API Error: 529 Overloaded' });
    await store.close();
    const state = await (await openRun(store.dir)).replay();
    expect(state.streams.a?.attempts.map((a) => a.failure)).toEqual(['not logged in: Not logged in · Please run /login', 'API Error: 529 Overloaded']);
    expect(state.problems).toEqual([]);
  });
});

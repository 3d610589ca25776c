// The Postgres backend against a real Debian PostgreSQL 15 (a throwaway cluster): the conformance suite every
// backend passes, then what only many connections show: 16 writers at once stay gap-free, and a batch carrying
// a stale fencing token is refused entirely.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan, type JournalEntry } from '@godmode/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../fleet/test/support/pg-cluster.js';
import { StaleTokenError } from '../errors/stale-token-error.js';
import { testRunStoreBackend } from './conformance.js';
import { PgJournal } from './pg-journal.js';
import { PgLease } from './pg-lease.js';
import { createRun } from '../run-store.js';
import { followPublishedRun, listPublishedRuns, publishRun, readPublishedRun } from './pg-publish.js';
import { openPgRecords } from './pg-records.js';
import { pgRunStoreSchemaSql } from './pg-schema.js';

if (pgSkipReason) console.warn(`[pg-backend.test] skipped: ${pgSkipReason}`);

let cluster: PgCluster;
let admin: pg.Pool;
let runs = 0;
const pools: pg.Pool[] = [];
const openPool = (max = 2) => {
  const pool = new pg.Pool({ connectionString: cluster.url(), max });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
};

describe.skipIf(pgSkipReason !== null)('Postgres backend of the run store', () => {
  beforeAll(async () => {
    cluster = await startPgCluster({ fsync: false });
    admin = new pg.Pool({ connectionString: cluster.url(), max: 2 });
    await admin.query(pgRunStoreSchemaSql);
  });
  afterAll(async () => {
    for (const pool of pools) await pool.end().catch(() => undefined);
    await admin?.end();
    await cluster?.stop();
  });

  testRunStoreBackend({
    name: 'PostgreSQL 15',
    async createRun() {
      const runId = `conformance-${++runs}`;
      return {
        // Each view its own pool: another process, as far as Postgres can tell.
        open: async () => openPgRecords(openPool(4), runId),
        dispose: async () => undefined,
      };
    },
  });

  it('16 writers on 16 connections, each with appends in flight: seq 1..n without gap or duplicate, every append kept once', async () => {
    const runId = `writers-${++runs}`;
    const journals = Array.from({ length: 16 }, () => new PgJournal({ pool: openPool(1), runId }));
    const lease = await new PgLease({ pool: admin, runId }).acquire({ holder: 'c', ttlMs: 60_000 });
    const perWriter = 30;
    const returned = await Promise.all(
      journals.map(async (journal, w) => {
        const seqs: number[] = [];
        for (let i = 0; i < perWriter; i += 3) {
          // Three in flight per writer: batches on each connection, interleaving across them.
          const entries = await Promise.all([0, 1, 2].map((k) => journal.append('worker.output', { w, i: i + k }, { token: lease!.token })));
          seqs.push(...entries.map((e) => e.seq));
        }
        return seqs;
      }),
    );
    const { entries } = await new PgJournal({ pool: admin, runId }).read();
    const total = journals.length * perWriter;
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(returned.flat().sort((a, b) => a - b)).toEqual(entries.map((e) => e.seq));
    for (let w = 0; w < journals.length; w++) {
      const mine = entries.filter((e) => (e.payload as { w: number }).w === w);
      expect(mine.map((e) => (e.payload as { i: number }).i).sort((a, b) => a - b)).toEqual(Array.from({ length: perWriter }, (_, i) => i));
      // One writer's own appends keep its order.
      expect(mine.map((e) => e.seq)).toEqual(returned[w]);
    }
    await Promise.all(journals.map((j) => j.close()));
  });

  it('refuses a whole batch that carries a stale token: nothing of it is written and seq stays gap-free', async () => {
    const runId = `stale-${++runs}`;
    const old = new PgJournal({ pool: openPool(1), runId });
    const current = new PgJournal({ pool: openPool(1), runId });
    const l1 = await new PgLease({ pool: admin, runId }).acquire({ holder: 'old', ttlMs: 60_000 });
    await old.append('lease.acquired', null, { token: l1!.token });
    await new PgLease({ pool: admin, runId }).release(l1!);
    const l2 = await new PgLease({ pool: admin, runId }).acquire({ holder: 'new', ttlMs: 60_000 });
    // 40 appends issued in one tick go out as one batch, all with the old token, while the new holder writes.
    const stale = Array.from({ length: 40 }, (_, i) => old.append('stream.spawned', { late: i }, { token: l1!.token }).then(() => null, (error: unknown) => error));
    const fresh = Array.from({ length: 10 }, (_, i) => current.append('stream.queued', { i }, { token: l2!.token }));
    const refused = await Promise.all(stale);
    await Promise.all(fresh);
    expect(refused.every((e) => StaleTokenError.isInstance(e) && e.currentToken >= l2!.token)).toBe(true);
    const { entries } = await current.read();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(entries.some((e) => e.kind === 'stream.spawned')).toBe(false);
    // The refused batch left the run's head where the accepted entries put it.
    expect(await current.lastSeq()).toBe(11);
    await old.close();
    await current.close();
  });

  it('publishes a run folder\'s journal as it is written: replayed from Postgres alone it is the run; a restart continues without a double', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'godmode-publish-'));
    try {
      const plan = parsePlan('name: published\nphases:\n  - id: build\n    streams:\n      - id: api\n        worker: { adapter: command, options: { command: "true" } }\n        deliverables: [api.ts]\n', 'plan.yaml');
      const store = await createRun({ root: dir, plan, planDir: dir, runId: 'pub-1' });
      const lease = await store.lease.acquire({ holder: 'conductor', ttlMs: 60_000 });
      const token = { token: lease!.token };
      await store.journal.append('run.started', { mode: 'fresh' }, token);
      const pool = openPool(2);
      // A watcher on another machine follows the published run from its start.
      const followed: JournalEntry[] = [];
      const watching = new AbortController();
      const following = followPublishedRun(openPool(2), 'pub-1', 0, (e) => followed.push(e), watching.signal);
      const first = await publishRun(store, pool, { ttlMs: 2_000 });
      await store.journal.append('stream.queued', { stream: 'api', phase: 'build' }, token);
      await store.journal.append('stream.spawned', { stream: 'api', attempt: 1, pid: 1 }, token);
      await first.stop();
      // A second publisher (a takeover) continues after what the first one sent.
      const second = await publishRun(store, pool, { ttlMs: 2_000 });
      await store.journal.append('stream.exited', { stream: 'api', attempt: 1, code: 0, signal: null }, token);
      await second.stop();
      const published = await readPublishedRun(openPool(1), 'pub-1');
      expect(published?.entries).toBe(4);
      for (let i = 0; i < 100 && followed.length < 4; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      watching.abort();
      await following;
      expect(followed).toEqual((await store.journal.read()).entries);
      expect(published?.state).toEqual(await store.replay());
      expect(published?.header).toMatchObject({ runId: 'pub-1', planDir: dir });
      expect((await listPublishedRuns(pool)).map((r) => r.runId)).toContain('pub-1');
      expect(await readPublishedRun(pool, 'no-such-run')).toBeNull();
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

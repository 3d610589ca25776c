// Fleet benchmark, the Postgres journal: fenced appends/s with 16 writers against raw INSERTs of the same rows in
// the same run, on a throwaway Debian PostgreSQL 15 with fsync on (durable commits, as in production).
//  - raw INSERT (baseline): 16 connections, each inserting one row at a time (prepared; no fence, no seq, ids
//    from a sequence): the floor Postgres sets for one durable commit per row on this machine.
//  - fenced, 16 connections: 16 writers as 16 processes would be, each awaiting every append before the next.
//  - fenced, 16 writers on one journal: one process (a conductor) whose 16 writers' appends in flight go out
//    together (group commit).
// (The journal before group commit with early lock release measured 607 appends/s over 16 connections and
// 10,836/s on one journal on this machine; the fleet agents still use that one, see packages/fleet/src/store.)
// Run: flock /tmp/godmode-bench.lock pnpm exec tsx bench/fleet/journal.ts   (GODMODE_BENCH_JOURNAL_ROUNDS, default 3)
import { PgJournal, PgLease, pgRunStoreSchemaSql } from '../../packages/run-store/src/index.js';
import { openPool } from '../../packages/fleet/src/index.js';
import { startPgCluster } from '../../packages/fleet/test/support/pg-cluster.js';

const rounds = Number(process.env.GODMODE_BENCH_JOURNAL_ROUNDS ?? 3);
const writers = 16;
const perRound = 6_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const payload = (i: number) => ({ stream: `s${i % 8}`, attempt: 1, type: 'output', bytes: 42, line: 'wrote src/feature.ts (42 lines)', t: i });
type Journal = { append(kind: string, payload: unknown, options?: { token?: number }): Promise<{ seq: number }>; close(): Promise<void> };
type MakeJournal = (pool: ReturnType<typeof openPool>, runId: string) => Journal;

export interface JournalFigures {
  raw: number;
  separate: number;
  shared: number;
}

export async function benchJournal(): Promise<JournalFigures> {
  const cluster = await startPgCluster({ fsync: true });
  const admin = openPool(cluster.url(), { max: 2 });
  let runNo = 0;
  try {
    await admin.query(pgRunStoreSchemaSql);
    await admin.query('create table bench_raw (id bigserial primary key, run_id text not null, at text not null, kind text not null, token bigint, payload json)');

    async function gapFree(runId: string, expected: number): Promise<void> {
      const { rows } = await admin.query<{ n: string; max: string }>('select count(*) as n, max(seq) as max from godmode.journal where run_id = $1', [runId]);
      if (Number(rows[0]!.n) !== expected || Number(rows[0]!.max) !== expected) throw new Error(`run ${runId}: ${rows[0]!.n} entries, last seq ${rows[0]!.max}, expected ${expected}`);
    }

    async function fencedSeparate(make: MakeJournal): Promise<number> {
      const runId = `bench-${runNo++}`;
      const pools = Array.from({ length: writers }, () => openPool(cluster.url(), { max: 1 }));
      const lease = await new PgLease({ pool: pools[0]!, runId }).acquire({ holder: 'bench', ttlMs: 600_000 });
      const journals = pools.map((pool) => make(pool, runId));
      await Promise.all(journals.map((j) => j.append('warm', null, { token: lease!.token })));
      let next = 0;
      const started = performance.now();
      await Promise.all(
        journals.map(async (journal) => {
          while (next < perRound) await journal.append('worker.output', payload(next++), { token: lease!.token });
        }),
      );
      const rate = perRound / ((performance.now() - started) / 1000);
      await gapFree(runId, perRound + writers);
      for (const j of journals) await j.close();
      for (const pool of pools) await pool.end();
      return rate;
    }

    async function fencedShared(make: MakeJournal): Promise<number> {
      const runId = `bench-${runNo++}`;
      const pool = openPool(cluster.url(), { max: 4 });
      const lease = await new PgLease({ pool, runId }).acquire({ holder: 'bench', ttlMs: 600_000 });
      const journal = make(pool, runId);
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: writers }, async () => {
          while (next < perRound) await journal.append('worker.output', payload(next++), { token: lease!.token });
        }),
      );
      const rate = perRound / ((performance.now() - started) / 1000);
      await gapFree(runId, perRound);
      await journal.close();
      await pool.end();
      return rate;
    }

    async function rawInserts(): Promise<number> {
      const pools = Array.from({ length: writers }, () => openPool(cluster.url(), { max: 1 }));
      let next = 0;
      const started = performance.now();
      await Promise.all(
        pools.map(async (pool) => {
          while (next < perRound) {
            await pool.query({
              name: 'bench_raw_insert',
              text: 'insert into bench_raw (run_id, at, kind, token, payload) values ($1, $2, $3, $4, $5)',
              values: ['raw', new Date().toISOString(), 'worker.output', 1, JSON.stringify(payload(next++))],
            });
          }
        }),
      );
      const rate = perRound / ((performance.now() - started) / 1000);
      for (const pool of pools) await pool.end();
      return rate;
    }

    const now: MakeJournal = (pool, runId) => new PgJournal({ pool, runId });
    const raw: number[] = [];
    const separate: number[] = [];
    const shared: number[] = [];
    for (let r = 0; r < rounds; r++) {
      raw.push(await rawInserts());
      separate.push(await fencedSeparate(now));
      shared.push(await fencedShared(now));
    }
    return { raw: median(raw), separate: median(separate), shared: median(shared) };
  } finally {
    await admin.end();
    await cluster.stop();
  }
}

export function printJournal(f: JournalFigures): void {
  console.log(`PostgreSQL 15 (fsync on), ${writers} writers, ${fmt(perRound)} appends a round, median of ${rounds}:`);
  console.log(`  raw INSERT, 16 connections, one row per commit (baseline)  ${fmt(f.raw)} rows/s`);
  console.log(`  fenced appends, 16 connections                             ${fmt(f.separate)} appends/s  (${(f.separate / f.raw).toFixed(2)}× raw)  target ≥ 5,000`);
  console.log(`  fenced appends, 16 writers on one journal                  ${fmt(f.shared)} appends/s  (${(f.shared / f.raw).toFixed(2)}× raw)  target ≥ 5,000`);
}

if (import.meta.url === `file://${process.argv[1]}`) printJournal(await benchJournal());

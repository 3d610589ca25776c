// Fleet benchmark, part 1: the Postgres journal. Fenced appends/s with 16 writers, each its own connection
// (as 16 processes would be) awaiting each append before the next, against raw INSERTs of the same rows by 16
// connections in the same run (no fencing, no seq, ids from a sequence) — the floor Postgres sets.
// A second line: 16 writers sharing one PgJournal (one conductor: appends in flight go out in one call).
// A throwaway PostgreSQL 15 with fsync on (durable commits, as in production).
// Part 2 (attempts.ts; GODMODE_BENCH_FLEET_ATTEMPTS, default 1,000): no-op attempts over 4 `godmode fleet agent`
// processes × 2 slots end to end, against pg-boss's own send/work loop over the same database in the same run —
// with an empty handler, and with a handler that spawns the same no-op worker `true` (the baseline of the target);
// median enqueue-to-start. Part 3 (overhead.ts; GODMODE_BENCH_FLEET_ROUNDS, default 3): a 16-stream plan of
// short real workers run on one machine with 4 slots and over 2 agents × 2 slots (--fleet), wall time, medians.
// Run: flock /tmp/godmode-bench.lock pnpm bench:fleet
import { migrateFleetSchema, openPool, PgJournal, PgLease } from '../../packages/fleet/src/index.js';
import { startPgCluster } from '../../packages/fleet/test/support/pg-cluster.js';
import { attemptsBench, printAttempts } from './attempts.js';
import { overheadBench, printOverhead } from './overhead.js';

const rounds = 3;
const writers = 16;
const perRound = 8_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const payload = (i: number) => ({ stream: `s${i % 8}`, attempt: 1, type: 'output', bytes: 42, line: 'wrote src/feature.ts (42 lines)', t: i });

const cluster = await startPgCluster({ fsync: true });
const admin = openPool(cluster.url(), { max: 2 });
await migrateFleetSchema(admin);
await admin.query('create table bench_raw (id bigserial primary key, run_id text not null, at text not null, kind text not null, token bigint, payload json)');
let runNo = 0;

async function fencedSeparate(): Promise<number> {
  const runId = `bench-${runNo++}`;
  const pools = Array.from({ length: writers }, () => openPool(cluster.url(), { max: 1 }));
  const lease = await new PgLease({ pool: pools[0]!, runId }).acquire({ holder: 'bench', ttlMs: 600_000 });
  const journals = pools.map((pool) => new PgJournal({ pool, runId }));
  await Promise.all(journals.map((j) => j.append('warm', null, { token: lease!.token })));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    journals.map(async (journal) => {
      while (next < perRound) {
        const i = next++;
        await journal.append('worker.output', payload(i), { token: lease!.token });
      }
    }),
  );
  const rate = perRound / ((performance.now() - started) / 1000);
  const check = await admin.query<{ n: string; max: string }>('select count(*) as n, max(seq) as max from godmode.journal where run_id = $1', [runId]);
  if (Number(check.rows[0]!.n) !== Number(check.rows[0]!.max)) throw new Error(`gap in ${runId}`);
  for (const pool of pools) await pool.end();
  return rate;
}

async function fencedShared(): Promise<number> {
  const runId = `bench-${runNo++}`;
  const pool = openPool(cluster.url(), { max: 4 });
  const lease = await new PgLease({ pool, runId }).acquire({ holder: 'bench', ttlMs: 600_000 });
  const journal = new PgJournal({ pool, runId });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < perRound) {
        const i = next++;
        await journal.append('worker.output', payload(i), { token: lease!.token });
      }
    }),
  );
  const rate = perRound / ((performance.now() - started) / 1000);
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
        const i = next++;
        await pool.query('insert into bench_raw (run_id, at, kind, token, payload) values ($1, $2, $3, $4, $5)', ['raw', new Date().toISOString(), 'worker.output', 1, JSON.stringify(payload(i))]);
      }
    }),
  );
  const rate = perRound / ((performance.now() - started) / 1000);
  for (const pool of pools) await pool.end();
  return rate;
}

try {
  // Parts 2 and 3 (bench/fleet/attempts.ts, bench/fleet/overhead.ts; each also runs alone).
  printAttempts(await attemptsBench(cluster, Number(process.env.GODMODE_BENCH_FLEET_ATTEMPTS ?? 1_000)));
  printOverhead(await overheadBench(Number(process.env.GODMODE_BENCH_FLEET_ROUNDS ?? 3)));
  const separate: number[] = [];
  const shared: number[] = [];
  const raw: number[] = [];
  for (let r = 0; r < rounds; r++) {
    raw.push(await rawInserts());
    separate.push(await fencedSeparate());
    shared.push(await fencedShared());
  }
  console.log(`PostgreSQL 15 (fsync on), ${writers} writers, ${fmt(perRound)} appends a round, median of ${rounds}:`);
  console.log(`  raw INSERT, 16 connections (baseline)      ${fmt(median(raw))} rows/s`);
  console.log(`  fenced appends, 16 connections             ${fmt(median(separate))} appends/s  (${(median(separate) / median(raw)).toFixed(2)}× raw)  target ≥ 5,000`);
  console.log(`  fenced appends, 16 writers on one journal  ${fmt(median(shared))} appends/s  (${(median(shared) / median(raw)).toFixed(2)}× raw)`);
} finally {
  await admin.end();
  await cluster.stop();
}

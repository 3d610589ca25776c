// Fleet benchmark, part 1: the Postgres journal. Fenced appends/s with 16 writers, each its own connection
// (as 16 processes would be) awaiting each append before the next, against raw INSERTs of the same rows by 16
// connections in the same run (no fencing, no seq, ids from a sequence) — the floor Postgres sets.
// A second line: 16 writers sharing one PgJournal (one conductor: appends in flight go out in one call).
// A throwaway PostgreSQL 15 with fsync on (durable commits, as in production).
// Part 2 (GODMODE_BENCH_FLEET_ATTEMPTS, default 200): no-op attempts over 4 `godmode fleet agent` processes
// (2 slots each) end to end — fetch, worktree, worker, snapshot push, local verdict, completion — against
// pg-boss's own send/work loop over the same database (4 workers, no-op handler) in the same run; and the
// median enqueue-to-start of an attempt (job sent → worker started on an agent).
// Run: flock /tmp/godmode-bench.lock pnpm bench:fleet
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { attemptJobId, FleetAttemptRunner, migrateFleetSchema, openPool, PgJournal, PgLease, startBoss } from '../../packages/fleet/src/index.js';
import { seedRepository, startAgent, streamsOf } from '../../packages/fleet/test/support/fleet-env.js';
import { startPgCluster } from '../../packages/fleet/test/support/pg-cluster.js';

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

async function fleetThroughput(n: number): Promise<{ fleetRate: number; bossRate: number; medianStartMs: number; idleStartMs: number }> {
  await cluster.createDatabase('fleet');
  const db = cluster.url('fleet');
  const seed = await seedRepository();
  const runner = await FleetAttemptRunner.connect({ db, migrate: true, heartbeatSeconds: 30, pollMs: 250 });
  const agents = Array.from({ length: 4 }, (_, i) => startAgent({ db, name: `bench-${i + 1}`, home: path.join(seed.dir, `agent-${i + 1}`), slots: 2 }));
  try {
    await Promise.all(agents.map((a) => a.ready));
    const streams = streamsOf(`name: bench\nphases:\n  - id: p\n    streams:\n${Array.from({ length: n }, (_, i) => `      - id: n${i}\n        worker: { adapter: command, options: { command: 'true' } }\n        deliverables: []\n`).join('')}`);
    // Enqueue-to-start with free slots: one attempt at a time, the agents idle (the burst below measures queueing too).
    const idle: number[] = [];
    for (const stream of streamsOf(`name: idle\nphases:\n  - id: p\n    streams:\n${Array.from({ length: 7 }, (_, i) => `      - id: i${i}\n        worker: { adapter: command, options: { command: 'true' } }\n        deliverables: []\n`).join('')}`)) {
      const sent = Date.now();
      await runner.runAttempt({ runId: 'bench-idle', stream, attempt: 1, base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 1_000, budgetMs: 60_000 });
      const note = (await runner.journal('bench-idle').read()).entries.find((e) => e.kind === 'fleet.worker-started' && (e.payload as { stream: string }).stream === stream.id)!;
      idle.push(Date.parse(note.at) - sent);
    }
    const sentAt = new Map<string, number>();
    const started = performance.now();
    await Promise.all(streams.map((stream) => {
      sentAt.set(stream.id, Date.now());
      return runner.runAttempt({ runId: 'bench', stream, attempt: 1, base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 1_000, budgetMs: 60_000 });
    }));
    const fleetRate = n / ((performance.now() - started) / 1000);
    const notes = (await runner.journal('bench').read()).entries.filter((e) => e.kind === 'fleet.worker-started');
    const delays = notes.map((e) => Date.parse(e.at) - sentAt.get((e.payload as { stream: string }).stream)!);
    // pg-boss's own loop over the same database: send n jobs, 4 workers with 2 at a time each, no-op handler.
    const boss = await startBoss(openPool(db, { max: 2 }), { url: db, migrate: false });
    await boss.createQueue('bench-noop');
    let done = 0;
    let finished: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (finished = resolve));
    const t0 = performance.now();
    await boss.insert('bench-noop', Array.from({ length: n }, (_, i) => ({ data: { i } })));
    const workers = await Promise.all(Array.from({ length: 4 }, () => boss.work('bench-noop', { localConcurrency: 2, pollingIntervalSeconds: 0.5 }, async () => { if (++done === n) finished(); })));
    await all;
    const bossRate = n / ((performance.now() - t0) / 1000);
    for (const id of workers) await boss.offWork('bench-noop', { id });
    await boss.stop({ graceful: false });
    return { fleetRate, bossRate, medianStartMs: median(delays), idleStartMs: median(idle) };
  } finally {
    await Promise.all(agents.map((a) => a.stop('SIGTERM')));
    await runner.close();
    await rm(seed.dir, { recursive: true, force: true });
  }
}

try {
  const attempts = Number(process.env.GODMODE_BENCH_FLEET_ATTEMPTS ?? 200);
  const fleet = await fleetThroughput(attempts);
  console.log(`Fleet: ${attempts} no-op attempts over 4 agents × 2 slots, end to end (git fetch, worktree, worker, push, verdict, completion):`);
  console.log(`  pg-boss's own send/work loop, same database (baseline)  ${fmt(fleet.bossRate)} jobs/s`);
  console.log(`  fleet attempts                                         ${fleet.fleetRate.toFixed(1)} attempts/s  (${(fleet.fleetRate / fleet.bossRate).toFixed(3)}× pg-boss)  target ≥ 0.5×`);
  console.log(`  median enqueue-to-start, agents idle (7 one at a time)  ${fmt(fleet.idleStartMs)} ms  target ≤ 1,000 ms`);
  console.log(`  median enqueue-to-start, all ${attempts} sent at once          ${fmt(fleet.medianStartMs)} ms  (queueing behind 8 slots included)`);
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

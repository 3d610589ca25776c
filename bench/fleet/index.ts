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
// Only some parts: FLEET_BENCH=overhead (or attempts, journal; a comma list), e.g.
//   FLEET_BENCH=overhead flock /tmp/godmode-bench.lock pnpm -s bench:fleet
import { startPgCluster } from '../../packages/fleet/test/support/pg-cluster.js';
import { attemptsBench, printAttempts } from './attempts.js';
import { benchJournal, printJournal } from './journal.js';
import { overheadBench, printOverhead } from './overhead.js';

// Parts 2 and 3 first (each also runs alone: bench/fleet/attempts.ts, bench/fleet/overhead.ts), then part 1
// (bench/fleet/journal.ts, its own PostgreSQL cluster).
const parts = ['attempts', 'overhead', 'journal'] as const;
const wanted = new Set((process.env.FLEET_BENCH ?? parts.join(',')).split(',').map((p) => p.trim()).filter(Boolean));
const unknown = [...wanted].filter((p) => !(parts as readonly string[]).includes(p));
if (unknown.length > 0) {
  console.error(`FLEET_BENCH names ${unknown.join(', ')}: not a part of this benchmark. Parts: ${parts.join(', ')} (a comma list).`);
  process.exit(2);
}
if (wanted.has('attempts')) {
  const cluster = await startPgCluster({ fsync: true });
  try {
    printAttempts(await attemptsBench(cluster, Number(process.env.GODMODE_BENCH_FLEET_ATTEMPTS ?? 1_000)));
  } finally {
    await cluster.stop();
  }
}
if (wanted.has('overhead')) printOverhead(await overheadBench(Number(process.env.GODMODE_BENCH_FLEET_ROUNDS ?? 3)));
if (wanted.has('journal')) printJournal(await benchJournal());

// Fleet benchmark, part 2: no-op attempts end to end over 4 `godmode fleet agent` processes × 2 slots — fetch
// of the job, git fetch of the base, worktree, a supervised `true`, snapshot + push, local verdict, completion,
// and the conductor's fetch of the pushed commit — against pg-boss's own send/work loop over the same database
// in the same run with the same concurrency (4 workers × 2). Two baselines: the loop with an empty handler
// (pg-boss alone), and the loop whose handler spawns the same no-op worker process `true` per job — the fair
// one, since an attempt must start a process; the target ratio is taken against it. Also the median
// enqueue-to-start (job sent → worker started on an agent), idle and in the burst, and where an attempt's time
// goes (medians per phase, from the agents' fleet.* notes in the run's journal).
// Alone: flock /tmp/godmode-bench.lock pnpm exec tsx bench/fleet/attempts.ts   (GODMODE_BENCH_FLEET_ATTEMPTS, default 200)
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { FleetAttemptRunner, openPool, startBoss } from '../../packages/fleet/src/index.js';
import { seedRepository, streamsOf } from '../../packages/fleet/test/support/fleet-env.js';
import { startPgCluster, type PgCluster } from '../../packages/fleet/test/support/pg-cluster.js';
import { fromSource, launchAgent } from './agents.js';

const execFileP = promisify(execFile);
export const median = (xs: number[]) => (xs.length === 0 ? NaN : ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number));
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');

export interface AttemptsFigures {
  attempts: number;
  fleetRate: number;
  bossRate: number;
  bossSpawnRate: number;
  medianStartMs: number;
  idleStartMs: number;
  phases: Record<string, number>;
}

function noopPlan(name: string, prefix: string, n: number) {
  return streamsOf(`name: ${name}\nphases:\n  - id: p\n    streams:\n${Array.from({ length: n }, (_, i) => `      - id: ${prefix}${i}\n        worker: { adapter: command, options: { command: 'true' } }\n        deliverables: []\n`).join('')}`);
}

/** pg-boss's own loop: n jobs sent at once, 4 workers × 2 at a time, pollingInterval 0.5 s (its floor). */
async function bossLoop(db: string, queue: string, n: number, handler: () => Promise<unknown>): Promise<number> {
  const boss = await startBoss(openPool(db, { max: 2 }), { url: db, migrate: false });
  try {
    await boss.createQueue(queue);
    let done = 0;
    let finished: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (finished = resolve));
    const t0 = performance.now();
    await boss.insert(queue, Array.from({ length: n }, (_, i) => ({ data: { i } })));
    const workers = await Promise.all(Array.from({ length: 4 }, () => boss.work(queue, { localConcurrency: 2, pollingIntervalSeconds: 0.5 }, async () => { await handler(); if (++done === n) finished(); })));
    await all;
    const rate = n / ((performance.now() - t0) / 1000);
    for (const id of workers) await boss.offWork(queue, { id });
    return rate;
  } finally {
    await boss.stop({ graceful: false });
  }
}

export async function attemptsBench(cluster: PgCluster, n: number): Promise<AttemptsFigures> {
  await cluster.createDatabase('fleet');
  const db = cluster.url('fleet');
  const seed = await seedRepository();
  const runner = await FleetAttemptRunner.connect({ db, migrate: true, heartbeatSeconds: 30, pollMs: 250 });
  const agents = Array.from({ length: 4 }, (_, i) => launchAgent({ db, name: `bench-${i + 1}`, home: path.join(seed.dir, `agent-${i + 1}`), slots: 2 }));
  try {
    await Promise.all(agents.map((a) => a.ready));
    const request = { base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 1_000, budgetMs: 60_000 };
    // Enqueue-to-start with free slots: one attempt at a time, the agents idle (the burst below measures queueing too).
    const idle: number[] = [];
    for (const stream of noopPlan('idle', 'i', 7)) {
      const sent = Date.now();
      await runner.runAttempt({ ...request, runId: 'bench-idle', stream, attempt: 1 });
      const note = (await runner.journal('bench-idle').read()).entries.find((e) => e.kind === 'fleet.worker-started' && (e.payload as { stream: string }).stream === stream.id)!;
      idle.push(Date.parse(note.at) - sent);
    }
    const sentAt = new Map<string, number>();
    const settledAt = new Map<string, number>();
    const started = performance.now();
    await Promise.all(noopPlan('bench', 'n', n).map((stream) => {
      sentAt.set(stream.id, Date.now());
      return runner.runAttempt({ ...request, runId: 'bench', stream, attempt: 1 }).then((outcome) => {
        if (outcome.commit === null) throw new Error(`attempt of ${stream.id} has no commit: ${outcome.problem}`);
        settledAt.set(stream.id, Date.now());
      });
    }));
    const fleetRate = n / ((performance.now() - started) / 1000);
    // Where an attempt's time goes, from the agents' notes.
    const at = new Map<string, Map<string, number>>();
    for (const e of (await runner.journal('bench').read()).entries) {
      const stream = (e.payload as { stream?: string } | null)?.stream;
      if (!stream) continue;
      const m = at.get(stream) ?? new Map<string, number>();
      if (!m.has(e.kind)) m.set(e.kind, Date.parse(e.at));
      at.set(stream, m);
    }
    const span = (from: (s: string) => number | undefined, to: (s: string) => number | undefined) =>
      median([...at.keys()].map((s) => [from(s), to(s)] as const).filter(([a, b]) => a !== undefined && b !== undefined).map(([a, b]) => b! - a!));
    const note = (kind: string) => (s: string) => at.get(s)?.get(kind);
    const phases = {
      'sent → taken by an agent': span((s) => sentAt.get(s), note('fleet.attempt-started')),
      'taken → worker started (git fetch, worktree)': span(note('fleet.attempt-started'), note('fleet.worker-started')),
      'worker started → job completed (exit, push, verdict)': span(note('fleet.worker-started'), note('fleet.attempt-finished')),
      'completed → conductor has the commit': span(note('fleet.attempt-finished'), (s) => settledAt.get(s)),
      'on an agent, taken → completed': span(note('fleet.attempt-started'), note('fleet.attempt-finished')),
    };
    const delays = [...at.keys()].map((s) => (note('fleet.worker-started')(s) ?? NaN) - sentAt.get(s)!).filter(Number.isFinite);
    const bossRate = await bossLoop(db, 'bench-noop', n, async () => undefined);
    const bossSpawnRate = await bossLoop(db, 'bench-spawn', n, () => execFileP('true'));
    return { attempts: n, fleetRate, bossRate, bossSpawnRate, medianStartMs: median(delays), idleStartMs: median(idle), phases };
  } finally {
    await Promise.all(agents.map((a) => a.stop('SIGTERM')));
    await runner.close();
    await rm(seed.dir, { recursive: true, force: true });
  }
}

export function printAttempts(f: AttemptsFigures): void {
  console.log(`Fleet: ${f.attempts} no-op attempts over 4 agents × 2 slots, end to end (job, git fetch, worktree, worker, push, verdict, completion)${fromSource ? ' [agents from source]' : ''}:`);
  console.log(`  pg-boss send/work loop, empty handler                  ${fmt(f.bossRate)} jobs/s`);
  console.log(`  pg-boss send/work loop, handler spawns \`true\` (baseline) ${fmt(f.bossSpawnRate)} jobs/s`);
  console.log(`  fleet attempts                                         ${f.fleetRate.toFixed(1)} attempts/s  (${(f.fleetRate / f.bossSpawnRate).toFixed(2)}× the spawning loop, ${(f.fleetRate / f.bossRate).toFixed(2)}× the empty one)  target ≥ 0.5×`);
  console.log(`  median enqueue-to-start, agents idle (7 one at a time)  ${fmt(f.idleStartMs)} ms  target ≤ 1,000 ms`);
  console.log(`  median enqueue-to-start, all ${f.attempts} sent at once          ${fmt(f.medianStartMs)} ms  (queueing behind 8 slots included)`);
  console.log('  where an attempt goes (medians):');
  for (const [phase, ms] of Object.entries(f.phases)) console.log(`    ${phase.padEnd(54)} ${fmt(ms)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cluster = await startPgCluster({ fsync: true });
  try {
    printAttempts(await attemptsBench(cluster, Number(process.env.GODMODE_BENCH_FLEET_ATTEMPTS ?? 200)));
  } finally {
    await cluster.stop();
  }
}

// Fleet benchmark, part 3: fleet overhead on a whole run. The same plan — 16 streams of short real workers
// (each sleeps 2 s, then writes its file; parallelism 4) — run by `godmode orchestra run` on this machine alone,
// and by `godmode orchestra run --fleet` over 2 `godmode fleet agent` processes × 2 slots (the same 4 slots in
// all), each agent with its own home and clone. When this machine can make network namespaces (root), each agent
// is a host of its own (a namespace, a veth to a bridge where PostgreSQL and the remote — `git daemon` — listen);
// else they are plain processes and the remote a path. Wall time of the conductor's process, median of
// GODMODE_BENCH_FLEET_ROUNDS (default 3) runs of each, alternated; every run must ship and merge all 16 streams.
// Alone: flock /tmp/godmode-bench.lock pnpm exec tsx bench/fleet/overhead.ts
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureRepository, git, gitEnv, writePlan, writer, fastSettings } from '../../apps/godmode/test/repo-fixture.js';
import { godmodeBin, startAgent, type AgentProcess } from '../../packages/fleet/test/support/fleet-env.js';
import { createNetwork, netnsSkipReason, type Network } from '../../packages/fleet/test/support/netns.js';
import { freePort, startPgCluster, type PgCluster } from '../../packages/fleet/test/support/pg-cluster.js';
import { FleetAttemptRunner, openPool } from '../../packages/fleet/src/index.js';
import { median } from './attempts.js';
import { breakdown, mergeBreakdowns, printBreakdown, type TimedEntry } from './breakdown.js';

export interface OverheadFigures {
  rounds: number;
  localMs: number[];
  fleetMs: number[];
  how: string;
  /** Medians per segment of an attempt (and the run's edges), from the journals. */
  localPhases: Record<string, number>;
  fleetPhases: Record<string, number>;
  /** Load average (1 min) before and after. */
  load: [number, number];
}

/** The run's journal on disk (the one run under `repo`): its id and entries. */
function runJournal(repo: string): { runId: string; entries: TimedEntry[] } {
  const root = path.join(repo, '.godmode', 'runs');
  const runId = readdirSync(root).find((d) => !d.startsWith('.'))!;
  const entries = readFileSync(path.join(root, runId, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { at: string; kind: string; payload: unknown })
    .map((e) => ({ at: Date.parse(e.at), kind: e.kind, payload: (e.payload ?? {}) as Record<string, unknown> }));
  return { runId, entries };
}

/** The agents' fleet.* notes of a run, from its Postgres journal. */
async function agentNotes(db: string, runId: string): Promise<TimedEntry[]> {
  const pool = await openPool(db, { max: 1 });
  try {
    const { rows } = await pool.query<{ at: Date; kind: string; payload: Record<string, unknown> }>('select at, kind, payload from godmode.journal where run_id = $1', [runId]);
    return rows.map((r) => ({ at: new Date(r.at).getTime(), kind: r.kind, payload: r.payload ?? {} }));
  } finally {
    await pool.end();
  }
}

function godmode(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [godmodeBin, ...args], { cwd, env: { ...process.env, ...gitEnv, NO_COLOR: '1' }, timeout: 600_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

function checkShipped(what: string, r: { code: number; stdout: string; stderr: string }): void {
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.code !== 0 || !/"shipped":16\b/.test(last)) throw new Error(`${what} did not ship all 16 streams (exit ${r.code}): ${last}\n${r.stderr.slice(-2000)}`);
}

const plan = () =>
  writePlan({
    name: 'overhead',
    settings: { ...fastSettings, cpuCeiling: 1 },
    phases: [{ id: 'build', parallelism: 4, streams: Array.from({ length: 16 }, (_, i) => {
      const w = writer(`s${i + 1}`, { [`src/s${i + 1}.js`]: `export const s${i + 1} = ${i + 1};\n` });
      const worker = w.worker as { options: { command: string } };
      return { ...w, worker: { ...worker, options: { command: `sleep 2 && ${worker.options.command}` } } };
    }) }],
  });

export async function overheadBench(rounds: number): Promise<OverheadFigures> {
  const temp: string[] = [];
  const agents: AgentProcess[] = [];
  let network: Network | null = null;
  let cluster: PgCluster | null = null;
  const netnsReason = await netnsSkipReason();
  try {
    if (netnsReason === null) network = await createNetwork();
    // Its own cluster: with namespaces it listens on the bridge too.
    cluster = await startPgCluster({ fsync: true, ...(network ? { listen: [network.hostAddress] } : {}) });
    await cluster.createDatabase('overhead');
    const db = cluster.url('overhead');
    const remotes = mkdtempSync(path.join(tmpdir(), 'godmode-overhead-remotes-'));
    temp.push(remotes);
    const gitUrl = network ? await network.serveGit(remotes, await freePort()) : null;
    // Schemas once, as an operator would (`--migrate`), before the agents serve.
    await (await FleetAttemptRunner.connect({ db, migrate: true })).close();
    const hosts = network ? [await network.addHost(1), await network.addHost(2)] : [];
    const agentDb = network ? cluster.url('overhead', { host: network.hostAddress }) : db;
    for (let i = 0; i < 2; i++) {
      agents.push(startAgent({ db: agentDb, name: `overhead-${i + 1}`, home: path.join(remotes, `agent-${i + 1}`), slots: 2, extra: ['--cpu-ceiling', '100'], ...(hosts[i] ? { wrap: hosts[i]!.wrap } : {}) }));
    }
    await Promise.all(agents.map((a) => a.ready));

    const planFile = plan();
    temp.push(path.dirname(planFile));
    const localMs: number[] = [];
    const fleetMs: number[] = [];
    const localPhases: Record<string, number>[] = [];
    const fleetPhases: Record<string, number>[] = [];
    const load0 = loadavg()[0]!;
    for (let r = 0; r < rounds; r++) {
      const local = fixtureRepository({ dirty: false });
      temp.push(local);
      const l = await godmode(['orchestra', 'run', planFile, '--json'], local);
      checkShipped('the local run', l);
      localMs.push(l.ms);
      localPhases.push(breakdown(runJournal(local).entries, false, l.ms));

      const repo = fixtureRepository({ dirty: false });
      const name = `remote-${r}.git`;
      git(remotes, ['clone', '-q', '--bare', repo, name]);
      temp.push(repo);
      const remote = gitUrl ? `${gitUrl}/${name}` : path.join(remotes, name);
      const f = await godmode(['orchestra', 'run', planFile, '--json', '--fleet', db, '--fleet-remote', remote], repo);
      checkShipped('the fleet run', f);
      fleetMs.push(f.ms);
      const conducted = runJournal(repo);
      fleetPhases.push(breakdown([...conducted.entries, ...(await agentNotes(db, conducted.runId))], true, f.ms));
    }
    return { rounds, localMs, fleetMs, localPhases: mergeBreakdowns(localPhases), fleetPhases: mergeBreakdowns(fleetPhases), load: [load0, loadavg()[0]!], how: network ? 'each agent in its own network namespace; PostgreSQL and the remote (git daemon) on the bridge' : `agents as plain processes on this host, the remote a path (no namespaces: ${netnsReason})` };
  } finally {
    await Promise.all(agents.map((a) => a.stop('SIGTERM')));
    await network?.teardown();
    await cluster?.stop();
    if (process.env.GODMODE_BENCH_KEEP !== '1') for (const dir of temp) await rm(dir, { recursive: true, force: true });
  }
}

export function printOverhead(f: OverheadFigures): void {
  const l = median(f.localMs);
  const fl = median(f.fleetMs);
  const s = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(1)).join(', ');
  console.log(`Fleet overhead: 16 streams (sleep 2 s, write a file), parallelism 4, median of ${f.rounds} runs each (${f.how}):`);
  console.log(`  one machine, 4 slots (baseline)   ${(l / 1000).toFixed(1)} s  (${s(f.localMs)})`);
  console.log(`  2 agents × 2 slots (--fleet)      ${(fl / 1000).toFixed(1)} s  (${s(f.fleetMs)})  ${(fl / l).toFixed(2)}× one machine  target ≤ 1.3×`);
  console.log(`  load average (1 min) ${f.load[0].toFixed(2)} before, ${f.load[1].toFixed(2)} after`);
  console.log('  Where the time goes (medians over attempts, then over runs):');
  printBreakdown('one machine:', f.localPhases);
  printBreakdown('fleet:', f.fleetPhases);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printOverhead(await overheadBench(Number(process.env.GODMODE_BENCH_FLEET_ROUNDS ?? 3)));
}

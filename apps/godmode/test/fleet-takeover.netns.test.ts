// The conductor of a fleet run dies (SIGKILL) on one host; another host takes the run over. Each conductor runs
// in its own network namespace (veth to a bridge where PostgreSQL listens); agents are separate processes.
// The run finishes, and no attempt ran twice: every job the takeover waited on was the one already queued.
// The second case is a taker that has only the database URL: its own clone of the remote, its own HOME, no run
// folder of the dead conductor — it rebuilds the run from Postgres and the remote's refs and finishes it there.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { attemptQueue, connectDatabase, FleetAttemptRunner } from '@godmode/fleet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentProcess } from '../../../packages/fleet/test/support/fleet-env.js';
import { createNetwork, netnsSkipReason, type Host, type Network } from '../../../packages/fleet/test/support/netns.js';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../packages/fleet/test/support/pg-cluster.js';
import { bin, ensureBuilt, expectNoProcessOfRun, journalOf, ndjson, runDirs } from './helpers.js';
import { fastSettings, fixtureRepository, git, gitEnv, writePlan } from './repo-fixture.js';

const skip = pgSkipReason ?? (await netnsSkipReason());
if (skip) console.warn(`[fleet-takeover.netns.test] skipped: ${skip}`);

let network: Network;
let cluster: PgCluster;
const hosts: Host[] = [];
const agents: AgentProcess[] = [];
const temp: string[] = [];

describe.skipIf(skip !== null)('a fleet run whose conductor dies', () => {
  beforeAll(async () => {
    ensureBuilt();
    network = await createNetwork();
    for (let i = 1; i <= 3; i++) hosts.push(await network.addHost(i));
    cluster = await startPgCluster({ fsync: false, listen: [network.hostAddress] });
    await cluster.createDatabase('fleet');
  }, 300_000);
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop('SIGKILL')));
    await network?.teardown();
    await cluster?.stop();
    for (const dir of temp) await rm(dir, { recursive: true, force: true });
  });

  /** The fleet's schema and three agents (separate processes and HOMEs, two slots each), once for the file. */
  async function ensureAgents(): Promise<void> {
    if (agents.length > 0) return;
    const migrate = await FleetAttemptRunner.connect({ db: cluster.url('fleet'), migrate: true });
    await migrate.close();
    for (let i = 1; i <= 3; i++) {
      const home = mkdtempSync(path.join(tmpdir(), `godmode-agent-${i}-`));
      temp.push(home);
      agents.push(startAgent({ db: cluster.url('fleet'), name: `agent-${i}`, home, slots: 2 }));
    }
    await Promise.all(agents.map((a) => a.ready));
  }

  /** The agents running, a fixture repository and a bare clone of it as the shared remote. */
  async function fleetRepository(): Promise<{ db: string; repo: string; remote: string }> {
    const db = cluster.url('fleet', { host: network.hostAddress });
    await ensureAgents();
    const repo = fixtureRepository({ dirty: false });
    const remote = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-remote-')), 'remote.git');
    temp.push(repo, path.dirname(remote));
    git(path.dirname(remote), ['clone', '-q', '--bare', repo, remote]);
    return { db, repo, remote };
  }

  /**
   * A fleet run of six streams started on host 1 from `repo`, SIGKILLed with attempts in flight. `phased`: three
   * quick streams in phase 1, three slow ones in phase 2 that need phase 1's files (so they run on the merged
   * integration head), killed once phase 1 is merged and phase 2's attempts are queued, none settled; else one
   * phase of six slow streams, killed with attempts queued and none judged.
   */
  async function runAndKill(options: { phased?: boolean } = {}): Promise<{ db: string; repo: string; remote: string; runDir: string }> {
    const { db, repo, remote } = await fleetRepository();
    const stream = (i: number, command: string) => ({
      id: `s${i}`,
      worker: { adapter: 'command', options: { command: `${command} && mkdir -p src && printf 'export const s${i} = ${i};\\n' > src/s${i}.js` } },
      deliverables: [`src/s${i}.js`],
    });
    // Slow enough that the conductor dies with attempts in flight.
    const phases = options.phased
      ? [
          { id: 'first', parallelism: 3, streams: [1, 2, 3].map((i) => stream(i, 'true')) },
          { id: 'second', parallelism: 3, streams: [4, 5, 6].map((i) => stream(i, 'test -f src/s1.js && test -f src/s2.js && test -f src/s3.js && sleep 3')) },
        ]
      : [{ id: 'build', parallelism: 6, streams: [1, 2, 3, 4, 5, 6].map((i) => stream(i, 'sleep 3')) }];
    const plan = writePlan({ name: 'fleet-takeover', settings: { ...fastSettings, maxAttempts: 2 }, phases });

    const first = spawn('ip', ['netns', 'exec', hosts[0]!.ns, process.execPath, bin, 'orchestra', 'run', plan, '--json', '--fleet', db, '--fleet-remote', remote], {
      cwd: repo,
      env: { ...process.env, ...gitEnv, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    const queued = (e: Record<string, any>) => e.kind === 'fleet.attempt-queued' && (!options.phased || e.payload.phase === 'second');
    let runDir = '';
    for (let i = 0; i < 600; i++) {
      runDir = runDirs(repo)[0] ?? '';
      if (runDir && journalOf(runDir).filter(queued).length >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(journalOf(runDir).filter(queued).length).toBeGreaterThanOrEqual(3);
    expect(journalOf(runDir).filter((e) => e.kind === 'fleet.attempt-settled')).toHaveLength(options.phased ? 3 : 0);
    if (options.phased) {
      // Dies once its journal up to there is in the database (publishing lags the file by moments; a conductor
      // dying inside that lag is the unphased case: its takeover re-derives what was lost, same job ids).
      const pool = await connectDatabase(cluster.url('fleet'), { max: 1 });
      try {
        const key = `${path.basename(runDir)}/conductor`;
        for (let i = 0; i < 100; i++) {
          const { rows } = await pool.query(`select count(*)::int as n from godmode.journal where run_id = $1 and kind = 'fleet.attempt-queued'`, [key]);
          if ((rows[0] as { n: number }).n >= 6) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await pool.end();
      }
    }
    first.kill('SIGKILL');
    await exited;
    return { db, repo, remote, runDir };
  }

  it('is taken over from another host: the run finishes, no job is duplicated', async () => {
    // Killed after phase 1's merges (pushed to the remote), with phase 2's attempts in flight.
    const { repo, remote, runDir } = await runAndKill({ phased: true });
    const second = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('ip', ['netns', 'exec', hosts[1]!.ns, process.execPath, bin, 'orchestra', 'takeover', path.basename(runDir), '--json'], { cwd: repo, env: { ...process.env, ...gitEnv, NO_COLOR: '1' }, timeout: 240_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(second.code, second.stderr + second.stdout.slice(-3000)).toBe(0);
    expect(ndjson(second.stdout).at(-1)).toMatchObject({ shipped: 6, streams: 6 });
    const journal = journalOf(runDir);
    const kinds = journal.map((e) => e.kind).join(' ');
    expect(kinds).toContain('run.takeover');
    // Each attempt ran once: the takeover waited on the jobs the dead conductor had queued.
    const settled = journal.filter((e) => e.kind === 'fleet.attempt-settled').map((e) => e.payload);
    const jobs = new Set(settled.map((p) => p.job));
    expect(jobs.size).toBe(6);
    const runner = await FleetAttemptRunner.connect({ db: cluster.url('fleet') });
    try {
      const started = (await runner.journal(path.basename(runDir)).read()).entries.filter((e) => e.kind === 'fleet.worker-started');
      expect(started).toHaveLength(6);
    } finally {
      await runner.close();
    }
    for (let i = 1; i <= 6; i++) {
      const verdict = JSON.parse(readFileSync(path.join(runDir, 'streams', `s${i}`, 'verdict.json'), 'utf8')) as { status: string };
      expect(verdict.status).toBe('shipped');
    }
    // The taker's merges went on from the dead conductor's, on the remote too.
    const kept = journal.filter((e) => e.kind === 'merge.kept').map((e) => e.payload.head as string);
    expect(kept).toHaveLength(6);
    expect(git(remote, ['rev-parse', `refs/godmode/${path.basename(runDir)}/integration`])).toBe(kept.at(-1));
  });

  it('is taken over by a machine with only the database URL: its own clone and HOME, no run folder of the dead conductor', async () => {
    const { db, remote, runDir } = await runAndKill({ phased: true });
    const runId = path.basename(runDir);
    // What the dead conductor merged (phase 1) is on the remote: the taker carries on from it.
    const mergedBefore = journalOf(runDir).filter((e) => e.kind === 'merge.kept').map((e) => e.payload.head as string);
    expect(mergedBefore).toHaveLength(3);
    expect(git(remote, ['rev-parse', `refs/godmode/${runId}/integration`])).toBe(mergedBefore.at(-1));
    // Host 3: a clone of the shared remote, its own HOME; it never sees host 1's checkout or run folder.
    const home = mkdtempSync(path.join(tmpdir(), 'godmode-taker-home-'));
    const clone = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-taker-')), 'clone');
    temp.push(home, path.dirname(clone));
    git(path.dirname(clone), ['clone', '-q', remote, clone]);
    const before = { head: git(clone, ['rev-parse', 'HEAD']), branch: git(clone, ['symbolic-ref', 'HEAD']), status: git(clone, ['status', '--porcelain']) };
    const env = { ...process.env, ...gitEnv, NO_COLOR: '1', HOME: home, XDG_STATE_HOME: path.join(home, '.state'), XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') };
    const taker = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string; ms: number }>((resolve) => {
        const started = Date.now();
        execFile('ip', ['netns', 'exec', hosts[2]!.ns, process.execPath, bin, 'orchestra', ...args], { cwd: clone, env, timeout: 240_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, ms: Date.now() - started }),
        );
      });

    // Bad input first: a run the database does not hold.
    const unknown = await taker(['takeover', '20990101-000000-nope-0000', '--fleet', db]);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toContain('has no fleet run "20990101-000000-nope-0000"');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(clone, '.godmode', 'runs', '20990101-000000-nope-0000'))).toBe(false);

    const takerStarted = Date.now();
    const taken = await taker(['takeover', runId, '--fleet', db, '--json']);
    expect(taken.code, taken.stderr + taken.stdout.slice(-3000)).toBe(0);
    expect(ndjson(taken.stdout).at(-1)).toMatchObject({ shipped: 6, streams: 6 });
    const ownDir = path.join(clone, '.godmode', 'runs', runId);
    const journal = journalOf(ownDir);
    expect(journal.map((e) => e.kind)).toContain('run.takeover');
    // How long the taker took to rebuild the run and hold it (its `run.takeover`), and to finish it.
    const heldAfter = Date.parse(journal.find((e) => e.kind === 'run.takeover')!.at as string) - takerStarted;
    console.log(`[fleet-takeover] from the database alone: run rebuilt and taken over ${heldAfter} ms after the command started; finished after ${taken.ms} ms`);
    expect(journal.at(-1)?.kind).toBe('run.finished');
    // Every shipped stream is merged on the taker's integration branch, and each verdict cites a commit the remote has.
    const integration = `godmode/${runId}/integration`;
    const files = git(clone, ['ls-tree', '-r', '--name-only', integration]).split('\n');
    for (let i = 1; i <= 6; i++) {
      expect(files).toContain(`src/s${i}.js`);
      const verdict = JSON.parse(readFileSync(path.join(ownDir, 'streams', `s${i}`, 'verdict.json'), 'utf8')) as { status: string; snapshot: { commit: string } };
      expect(verdict.status).toBe('shipped');
      expect(git(remote, ['cat-file', '-t', verdict.snapshot.commit])).toBe('commit');
    }
    // The integration head the journal vouches for last is the one on the remote, and it carries on from the
    // dead conductor's merges (phase 2 ran on them: its workers found phase 1's files).
    const kept = journal.filter((e) => e.kind === 'merge.kept').map((e) => e.payload.head as string);
    expect(kept).toHaveLength(6);
    expect(git(remote, ['rev-parse', `refs/godmode/${runId}/integration`])).toBe(kept.at(-1));
    // (git exits 1, and this throws, when a head is not an ancestor.)
    for (const head of mergedBefore) expect(git(clone, ['merge-base', '--is-ancestor', head, integration])).toBe('');
    expect(git(clone, ['rev-list', '--count', `${mergedBefore.at(-1)}..${integration}`])).not.toBe('0');
    // No job enqueued twice: one pg-boss job per stream (attempt 1), and each worker started once.
    const runner = await FleetAttemptRunner.connect({ db: cluster.url('fleet') });
    try {
      const pool = await connectDatabase(cluster.url('fleet'), { max: 1 });
      const jobs = await pool.query(`select count(*)::int as n, count(distinct data->>'stream')::int as streams from pgboss.job where name = $1 and data->>'runId' = $2`, [attemptQueue, runId]).finally(() => pool.end());
      expect(jobs.rows[0]).toEqual({ n: 6, streams: 6 });
      const started = (await runner.journal(runId).read()).entries.filter((e) => e.kind === 'fleet.worker-started');
      expect(started).toHaveLength(6);
    } finally {
      await runner.close();
    }
    // The taker published its part of the journal after the dead conductor's: any machine reads the run as finished.
    const status = await taker(['status', runId, '--json', '--fleet', db]);
    expect(status.code, status.stderr).toBe(0);
    const read = JSON.parse(status.stdout.trim().split('\n').at(-1)!) as { status: string; streams: Array<{ verdict: string | null }> };
    expect(read.status).toBe('finished');
    expect(read.streams.map((s) => s.verdict)).toEqual(Array(6).fill('shipped'));
    // The taker's own checkout is as it was; nothing of the run is left running.
    expect({ head: git(clone, ['rev-parse', 'HEAD']), branch: git(clone, ['symbolic-ref', 'HEAD']), status: git(clone, ['status', '--porcelain']) }).toEqual(before);
    await expectNoProcessOfRun(runId, 15_000);
  });

  it('fences a conductor cut off from the database: it stops with exit 4 without acting, the taker elsewhere finishes the run', async () => {
    const { db, repo, remote } = await fleetRepository();
    const streams = [1, 2, 3].map((i) => ({
      id: `s${i}`,
      worker: { adapter: 'command', options: { command: `sleep 4 && mkdir -p src && printf 'export const s${i} = ${i};\\n' > src/s${i}.js` } },
      deliverables: [`src/s${i}.js`],
    }));
    const plan = writePlan({ name: 'fleet-fenced', settings: { ...fastSettings, maxAttempts: 2 }, phases: [{ id: 'build', parallelism: 3, streams }] });
    const first = spawn('ip', ['netns', 'exec', hosts[0]!.ns, process.execPath, bin, 'orchestra', 'run', plan, '--json', '--fleet', db, '--fleet-remote', remote], {
      cwd: repo,
      env: { ...process.env, ...gitEnv, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let firstErr = '';
    let firstOut = '';
    first.stderr.on('data', (d: Buffer) => (firstErr += d.toString()));
    first.stdout.on('data', (d: Buffer) => (firstOut += d.toString()));
    let exitedAt = 0;
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', (code) => ((exitedAt = Date.now()), resolve(code))));
    let runDir = '';
    for (let i = 0; i < 600; i++) {
      runDir = runDirs(repo)[0] ?? '';
      if (runDir && journalOf(runDir).filter((e) => e.kind === 'fleet.attempt-queued').length >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const runId = path.basename(runDir);
    // The conductor's host loses the database (the remote, a path, stays reachable: only the lease fences it).
    await hosts[0]!.partition();
    const cutAt = Date.now();
    const home = mkdtempSync(path.join(tmpdir(), 'godmode-taker-home-'));
    const clone = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-taker-')), 'clone');
    temp.push(home, path.dirname(clone));
    git(path.dirname(clone), ['clone', '-q', remote, clone]);
    const taken = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('ip', ['netns', 'exec', hosts[2]!.ns, process.execPath, bin, 'orchestra', 'takeover', runId, '--fleet', db, '--json'], { cwd: clone, env: { ...process.env, ...gitEnv, NO_COLOR: '1', HOME: home, XDG_STATE_HOME: path.join(home, '.state') }, timeout: 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    const takenAfter = Date.now() - cutAt;
    const code = await Promise.race([firstExit, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    first.kill('SIGKILL');
    console.log(`[fleet-takeover] cut-off conductor exited ${code} ${exitedAt - cutAt} ms after the cut; the taker finished ${takenAfter} ms after the cut`);
    await hosts[0]!.heal();
    expect(taken.code, taken.stderr + taken.stdout.slice(-3000)).toBe(0);
    expect(ndjson(taken.stdout).at(-1)).toMatchObject({ shipped: 3, streams: 3 });
    // The cut-off conductor stopped on its own, with exit 4, and merged nothing: every merge is the taker's.
    expect(code, firstErr + firstOut.slice(-3000)).toBe(4);
    expect(ndjson(firstOut).at(-1)).toMatchObject({ type: 'error', code: 'LEASE_HELD', message: expect.stringMatching(/lost fleet run/) });
    expect(journalOf(runDir).filter((e) => e.kind === 'merge.kept' || e.kind === 'run.finished')).toEqual([]);
    const kept = journalOf(path.join(clone, '.godmode', 'runs', runId)).filter((e) => e.kind === 'merge.kept').map((e) => e.payload.head as string);
    expect(kept).toHaveLength(3);
    expect(git(remote, ['rev-parse', `refs/godmode/${runId}/integration`])).toBe(kept.at(-1));
    const pool = await connectDatabase(cluster.url('fleet'), { max: 1 });
    try {
      const { rows } = await pool.query(`select count(*)::int as n from pgboss.job where name = $1 and data->>'runId' = $2`, [attemptQueue, runId]);
      expect(rows[0]).toEqual({ n: 3 });
    } finally {
      await pool.end();
    }
  });
});

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

  /** A fleet run of six slow streams started on host 1 from `repo`, SIGKILLed with attempts in flight and none judged. */
  async function runAndKill(): Promise<{ db: string; repo: string; remote: string; runDir: string }> {
    const db = cluster.url('fleet', { host: network.hostAddress });
    if (agents.length === 0) {
      const migrate = await FleetAttemptRunner.connect({ db: cluster.url('fleet'), migrate: true });
      await migrate.close();
      for (let i = 1; i <= 3; i++) {
        const home = mkdtempSync(path.join(tmpdir(), `godmode-agent-${i}-`));
        temp.push(home);
        agents.push(startAgent({ db: cluster.url('fleet'), name: `agent-${i}`, home, slots: 2 }));
      }
      await Promise.all(agents.map((a) => a.ready));
    }
    const repo = fixtureRepository({ dirty: false });
    const remote = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-remote-')), 'remote.git');
    temp.push(repo, path.dirname(remote));
    git(path.dirname(remote), ['clone', '-q', '--bare', repo, remote]);
    // Slow enough that the conductor dies with attempts in flight.
    const streams = Array.from({ length: 6 }, (_, i) => ({
      id: `s${i + 1}`,
      worker: { adapter: 'command', options: { command: `sleep 3 && mkdir -p src && printf 'export const s${i + 1} = ${i + 1};\\n' > src/s${i + 1}.js` } },
      deliverables: [`src/s${i + 1}.js`],
    }));
    const plan = writePlan({ name: 'fleet-takeover', settings: { ...fastSettings, maxAttempts: 2 }, phases: [{ id: 'build', parallelism: 6, streams }] });

    const first = spawn('ip', ['netns', 'exec', hosts[0]!.ns, process.execPath, bin, 'orchestra', 'run', plan, '--json', '--fleet', db, '--fleet-remote', remote], {
      cwd: repo,
      env: { ...process.env, ...gitEnv, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    // Dies with attempts queued (in flight on the agents) and none judged yet.
    let runDir = '';
    for (let i = 0; i < 600; i++) {
      runDir = runDirs(repo)[0] ?? '';
      if (runDir && journalOf(runDir).filter((e) => e.kind === 'fleet.attempt-queued').length >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(journalOf(runDir).filter((e) => e.kind === 'fleet.attempt-queued').length).toBeGreaterThanOrEqual(3);
    expect(journalOf(runDir).filter((e) => e.kind === 'fleet.attempt-settled')).toHaveLength(0);
    first.kill('SIGKILL');
    await exited;
    return { db, repo, remote, runDir };
  }

  it('is taken over from another host: the run finishes, no job is duplicated', async () => {
    const { repo, runDir } = await runAndKill();
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
  });

  it('is taken over by a machine with only the database URL: its own clone and HOME, no run folder of the dead conductor', async () => {
    const { db, remote, runDir } = await runAndKill();
    const runId = path.basename(runDir);
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

    const taken = await taker(['takeover', runId, '--fleet', db, '--json']);
    console.log(`[fleet-takeover] takeover from the database alone: ${taken.ms} ms`);
    expect(taken.code, taken.stderr + taken.stdout.slice(-3000)).toBe(0);
    expect(ndjson(taken.stdout).at(-1)).toMatchObject({ shipped: 6, streams: 6 });
    const ownDir = path.join(clone, '.godmode', 'runs', runId);
    const journal = journalOf(ownDir);
    expect(journal.map((e) => e.kind)).toContain('run.takeover');
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
    // The integration head the journal vouches for last is the one on the remote.
    const kept = journal.filter((e) => e.kind === 'merge.kept').map((e) => e.payload.head as string);
    expect(kept).toHaveLength(6);
    expect(git(remote, ['rev-parse', `refs/godmode/${runId}/integration`])).toBe(kept.at(-1));
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
    // The taker's own checkout is as it was; nothing of the run is left running.
    expect({ head: git(clone, ['rev-parse', 'HEAD']), branch: git(clone, ['symbolic-ref', 'HEAD']), status: git(clone, ['status', '--porcelain']) }).toEqual(before);
    await expectNoProcessOfRun(runId, 15_000);
  });
});

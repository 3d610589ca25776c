// Fleet faults with every agent a host of its own: a network namespace per agent, a veth to a bridge where
// PostgreSQL 15 and the git remote (git daemon, push enabled) listen. Real pg-boss, real git, real processes.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { FleetAttemptRunner, rejudgeAttempt, type FleetAttemptOutcome, type FleetAttemptRequest } from '@godmode/fleet';
import type { JournalEntry, Stream } from '@godmode/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtSkipReason, git, plainStreams, seedRepository, startAgent, type AgentProcess, type Seed } from './support/fleet-env.js';
import { createNetwork, netnsSkipReason, type Host, type Network } from './support/netns.js';
import { freePort, pgSkipReason, startPgCluster, type PgCluster } from './support/pg-cluster.js';

const skip = pgSkipReason ?? builtSkipReason ?? (await netnsSkipReason());
if (skip) console.warn(`[faults.netns.test] skipped: ${skip}`);

const HEARTBEAT_S = 10;
let network: Network;
let cluster: PgCluster;
let seed: Seed;
let remoteUrl = '';
let dbFromHosts = '';
const hosts: Host[] = [];
const agents: AgentProcess[] = [];
let runner: FleetAttemptRunner;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function notes(runId: string): Promise<JournalEntry[]> {
  return (await runner.journal(runId).read()).entries;
}
async function waitForNote(runId: string, test: (e: JournalEntry) => boolean, timeoutMs = 60_000): Promise<JournalEntry> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await notes(runId)).find(test);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no such note in ${runId} after ${timeoutMs} ms: ${JSON.stringify((await notes(runId)).map((e) => e.kind))}`);
    await sleep(200);
  }
}
const p = (e: JournalEntry) => e.payload as Record<string, unknown>;

function request(runId: string, stream: Stream): FleetAttemptRequest {
  return { runId, stream, attempt: 1, base: seed.base, repo: seed.repo, remote: `${remoteUrl}/remote.git`, snapshotEveryMs: 500, budgetMs: 120_000 };
}

async function judge(runId: string, stream: Stream, outcome: FleetAttemptOutcome) {
  return rejudgeAttempt({
    repo: seed.repo,
    worktree: path.join(seed.dir, 'conductor-work', runId, stream.id),
    branch: `godmode/${runId}/streams/${stream.id}`,
    stream,
    attempt: 1,
    base: seed.base,
    commit: outcome.commit,
    claimText: outcome.result?.claimText ?? null,
    claimFile: path.join(seed.dir, 'conductor-claims', runId, stream.id, 'result.json'),
  });
}

async function startAgents(n: number): Promise<void> {
  for (let i = agents.length; i < n; i++) {
    const agent = startAgent({ db: dbFromHosts, name: `agent-${i + 1}`, home: path.join(seed.dir, `agent-${i + 1}`), wrap: hosts[i]!.wrap });
    agents.push(agent);
  }
  await Promise.all(agents.map((a) => a.ready));
}

describe.skipIf(skip !== null)('fleet faults (agents in network namespaces)', () => {
  beforeAll(async () => {
    network = await createNetwork();
    for (let i = 1; i <= 4; i++) hosts.push(await network.addHost(i));
    cluster = await startPgCluster({ fsync: false, listen: [network.hostAddress] });
    await cluster.createDatabase('fleet');
    dbFromHosts = cluster.url('fleet', { host: network.hostAddress });
    seed = await seedRepository();
    remoteUrl = await network.serveGit(seed.dir, await freePort());
    runner = await FleetAttemptRunner.connect({ db: cluster.url('fleet'), migrate: true, heartbeatSeconds: HEARTBEAT_S, superviseEverySeconds: 2, pollMs: 250 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop('SIGKILL')));
    await runner?.close();
    await network?.teardown();
    await cluster?.stop();
    if (seed) await rm(seed.dir, { recursive: true, force: true });
  });

  it('12 streams over 3 agents with 2 slots each: every stream shipped, each verdict citing a commit the remote has', async () => {
    await startAgents(3);
    const runId = 'run-ns-happy';
    const streams = plainStreams(12, 3, 200);
    const outcomes = await Promise.all(streams.map((s) => runner.runAttempt(request(runId, s))));
    const judged = await Promise.all(streams.map((s, i) => judge(runId, s, outcomes[i]!)));
    expect(judged.map((v) => v.status)).toEqual(streams.map(() => 'shipped'));
    for (const v of judged) expect(await git(seed.remote, 'cat-file', '-t', v.commit)).toBe('commit');
    expect(new Set(outcomes.map((o) => o.result?.agent)).size).toBe(3);
  });

  const KILLS = Number(process.env.GODMODE_FLEET_KILLS ?? 5);
  it(`SIGKILL of an agent mid-attempt at ${KILLS} random moments: each time the attempt moves to another agent and resumes from the last pushed snapshot`, async () => {
    for (let round = 1; round <= KILLS; round++) {
      const runId = `run-ns-kill-${round}`;
      const [stream] = plainStreams(1, 12, 500);
      const outcome = runner.runAttempt(request(runId, stream!));
      const started = await waitForNote(runId, (e) => e.kind === 'fleet.worker-started');
      await waitForNote(runId, (e) => e.kind === 'fleet.snapshot-pushed' && p(e).agent === p(started).agent);
      // A random moment of the worker's life after its first push.
      await sleep(Math.floor(Math.random() * 3_000));
      const victim = agents.find((a) => a.name === p(started).agent)!;
      const workerPid = p(started).pid as number;
      // The machine dies: the agent and its worker, at once.
      victim.child.kill('SIGKILL');
      try {
        process.kill(-workerPid, 'SIGKILL');
      } catch {
        // It had finished already.
      }
      const result = await outcome;
      expect(result.state).toBe('completed');
      const pushedByVictim = (await notes(runId)).filter((e) => e.kind === 'fleet.snapshot-pushed' && p(e).agent === victim.name).map((e) => p(e).commit);
      if (result.result?.agent !== victim.name) {
        // Moved: started from a snapshot the dead agent pushed, never from the bare base.
        expect(result.retries).toBeGreaterThanOrEqual(1);
        expect(result.result?.resumed).toBe(true);
        // The dead agent may have pushed its last snapshot and died before its note reached the database: a commit
        // the remote has, made by the dead agent (a snapshot's message names its agent and try), is as good.
        const startedFrom = result.result?.startedFrom ?? '';
        if (!pushedByVictim.includes(startedFrom)) expect(await git(seed.remote, 'log', '-1', '--format=%s', startedFrom)).toContain(`(${victim.name}, try `);
        // Nothing pushed was redone: what the dead agent wrote is in the final tree as it wrote it.
        const byVictim = await git(seed.repo, 'grep', '-l', `written by ${victim.name}`, result.commit!, '--', 'out');
        expect(byVictim.split('\n').filter(Boolean).length).toBeGreaterThan(0);
      }
      const verdict = await judge(runId, stream!, result);
      expect(verdict.status).toBe('shipped');
      expect(alive(workerPid)).toBe(false);
      // A new machine takes the dead one's place (its host, a new home).
      const host = hosts.find((h) => victim.child.spawnargs.includes(h.ns))!;
      agents.splice(agents.indexOf(victim), 1);
      const replacement = startAgent({ db: dbFromHosts, name: `${victim.name.split('.')[0]}.${round}`, home: path.join(seed.dir, `agent-home-${round}`), wrap: host.wrap });
      agents.push(replacement);
      await replacement.ready;
    }
  });

  it(`partition of an agent for 2× the heartbeat (${2 * HEARTBEAT_S} s): its worker is stopped, the job moves, its late settlement is refused`, async () => {
    const runId = 'run-ns-partition';
    const [stream] = plainStreams(1, 30, 700);
    const outcome = runner.runAttempt(request(runId, stream!));
    const started = await waitForNote(runId, (e) => e.kind === 'fleet.worker-started');
    await waitForNote(runId, (e) => e.kind === 'fleet.snapshot-pushed' && p(e).agent === p(started).agent);
    const cut = agents.find((a) => a.name === p(started).agent)!;
    const host = hosts.find((h) => cut.child.spawnargs.includes(h.ns))!;
    const workerPid = p(started).pid as number;
    const cutAt = Date.now();
    await host.partition();
    // After one heartbeat period without the database, the agent stops its worker.
    for (let i = 0; i < 60 && alive(workerPid); i++) await sleep(500);
    expect(alive(workerPid)).toBe(false);
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(HEARTBEAT_S * 1_000 - 1_000);
    // The job moves to another agent while the partition lasts.
    const moved = await waitForNote(runId, (e) => e.kind === 'fleet.worker-started' && p(e).agent !== cut.name, 40_000);
    expect(p(moved).resumed).toBe(true);
    await sleep(Math.max(0, cutAt + 2 * HEARTBEAT_S * 1_000 - Date.now()));
    await host.heal();
    const result = await outcome;
    expect(result.state).toBe('completed');
    expect(result.result?.agent).toBe(p(moved).agent);
    // Back in contact, the cut-off agent tries to settle its old try: refused by attempt id, never recorded.
    const refused = await waitForNote(runId, (e) => e.kind === 'fleet.late-completion-refused' && p(e).agent === cut.name, 60_000);
    expect(p(refused).attemptId).not.toBe(result.result?.attemptId);
    const verdict = await judge(runId, stream!, result);
    expect(verdict.status).toBe('shipped');
    // It pushed nothing after the cut: every snapshot of the cut agent was noted before it was abandoned.
    expect(cut.output.join('\n')).toMatch(/no contact with the database/);
  });

  it('PostgreSQL restarted mid-run: every attempt finishes and the run journal stays gap-free', async () => {
    const runId = 'run-ns-pg-restart';
    const streams = plainStreams(6, 8, 400);
    const journal = runner.journal(runId);
    const outcomes = Promise.all(streams.map((s) => runner.runAttempt(request(runId, s))));
    await waitForNote(runId, (e) => e.kind === 'fleet.snapshot-pushed');
    for (let i = 0; i < 20; i++) await journal.append('conductor.tick', { i }).catch(() => undefined);
    await cluster.restart();
    let afterRestart = 0;
    for (let i = 0; i < 20; i++) {
      // The conductor's own appends carry on once the server is back.
      await journal.append('conductor.tick', { i: 100 + i }).then(() => afterRestart++, () => sleep(300));
    }
    const results = await outcomes;
    expect(results.map((r) => r.state)).toEqual(streams.map(() => 'completed'));
    const judged = await Promise.all(streams.map((s, i) => judge(runId, s, results[i]!)));
    expect(judged.map((v) => v.status)).toEqual(streams.map(() => 'shipped'));
    expect(afterRestart).toBeGreaterThan(0);
    const entries = await notes(runId);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    await journal.close();
  });
});

// A fleet run end to end on one host: PostgreSQL 15, pg-boss, a bare git remote, three `godmode fleet agent`
// processes with two slots each, and the conductor's side (FleetAttemptRunner + rejudgeAttempt) for 12 streams.
// One stream's job is taken by a rogue process that completes it with a forged "shipped" verdict and no work:
// the conductor's own judgement of the pushed tree says missing.
import { chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { attemptJobId, attemptQueue, FleetAttemptRunner, rejudgeAttempt, remoteBaseRef, type AttemptResult, type FleetAttemptOutcome } from '@godmode/fleet';
import { governorSampleKind, governorSampleSchema } from '@godmode/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtSkipReason, git, plainStreams, seedRepository, startAgent, streamsOf, type AgentProcess, type Seed } from './support/fleet-env.js';
import { pgSkipReason, startPgCluster, type PgCluster } from './support/pg-cluster.js';

const skip = pgSkipReason ?? builtSkipReason;
if (skip) console.warn(`[fleet-run.test] skipped: ${skip}`);

let cluster: PgCluster;
let seed: Seed;
const agents: AgentProcess[] = [];
let runner: FleetAttemptRunner | null = null;

describe.skipIf(skip !== null)('fleet run: 12 streams over 3 agents', () => {
  beforeAll(async () => {
    cluster = await startPgCluster({ fsync: false });
    await cluster.createDatabase('fleet');
    seed = await seedRepository();
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop('SIGKILL')));
    await runner?.close();
    await cluster?.stop();
    if (seed) await rm(seed.dir, { recursive: true, force: true });
  });

  it('refuses a database without the schema with exit 2 and offers --migrate; a wrong password exits 2', async () => {
    const bare = startAgent({ db: cluster.url('fleet'), name: 'early', home: path.join(seed.dir, 'early') });
    expect(await bare.exited).toBe(2);
    expect(bare.output.join('\n')).toMatch(/has no godmode fleet schema/);
    expect(bare.output.join('\n')).toContain('--migrate');
    const wrong = startAgent({ db: cluster.url('fleet', { password: 'not-it' }), name: 'wrong', home: path.join(seed.dir, 'wrong') });
    expect(await wrong.exited).toBe(2);
    expect(wrong.output.join('\n')).toMatch(/refused the user or password/);
    expect(wrong.output.join('\n')).not.toContain('not-it');
  });

  it('runs every stream on the agents, pushes each commit to the remote, and re-judges a forged verdict from disk', async () => {
    const db = cluster.url('fleet');
    // The first agent creates the schemas (--migrate); the conductor then connects without migrating.
    agents.push(startAgent({ db, name: 'agent-1', home: path.join(seed.dir, 'agent-1'), extra: ['--migrate'] }));
    await agents[0]!.ready;
    runner = await FleetAttemptRunner.connect({ db, heartbeatSeconds: 10, superviseEverySeconds: 2, pollMs: 200 });
    const runId = 'run-fleet-1';
    const streams = plainStreams(12, 3, 250);
    const request = (i: number) => ({ runId, stream: streams[i]!, attempt: 1, base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 400, budgetMs: 60_000 });

    // The rogue: before the other agents start, it takes s12's job itself and completes it with a forged
    // "shipped" verdict, citing the base (a commit the remote has) as its work.
    await agents[0]!.stop('SIGTERM');
    agents.length = 0;
    const forgedRun = runner.runAttempt(request(11));
    let forged: { id: string; retryCount: number } | null = null;
    for (let i = 0; i < 100 && forged === null; i++) {
      const [job] = await runner.boss.fetch(attemptQueue, { batchSize: 1 });
      if (job) forged = job;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(forged).not.toBeNull();
    // A rogue that keeps its heartbeat keeps the job.
    const rogueHeartbeat = setInterval(() => void runner!.boss.touch(attemptQueue, forged!).catch(() => undefined), 2_000);
    for (let i = 1; i <= 3; i++) agents.push(startAgent({ db, name: `agent-${i}`, home: path.join(seed.dir, `agent-${i}`) }));
    await Promise.all(agents.map((a) => a.ready));
    const honestOutcomes = await Promise.all(streams.slice(0, 11).map((_, i) => runner!.runAttempt(request(i))));
    // Now the rogue completes s12 with a well-formed lie: an honest verdict relabelled as s12's, citing the base.
    const borrowed = honestOutcomes[0]!.result!.verdict!;
    const lie: AttemptResult = {
      attemptId: `${forged!.id}:${forged!.retryCount}`,
      agent: 'rogue',
      host: 'nowhere',
      outcome: 'finished',
      reason: null,
      commit: seed.base,
      ref: `refs/godmode/${runId}/bases/${seed.base}`,
      startedFrom: seed.base,
      resumed: false,
      exit: { code: 0, signal: null },
      verdict: { ...borrowed, stream: 's12' },
      claimText: JSON.stringify({ stream: 's12', status: 'success' }),
      snapshots: 1,
    };
    clearInterval(rogueHeartbeat);
    expect(((await runner.boss.complete(attemptQueue, forged!, lie)) as { affected?: number }).affected).toBe(1);

    const outcomes: FleetAttemptOutcome[] = [...honestOutcomes, await forgedRun];

    const verdicts = [];
    for (const [i, outcome] of outcomes.entries()) {
      const stream = streams[i]!;
      const judged = await rejudgeAttempt({
        repo: seed.repo,
        worktree: path.join(seed.dir, 'conductor-work', stream.id),
        branch: `godmode/${runId}/streams/${stream.id}`,
        stream,
        attempt: 1,
        base: seed.base,
        commit: outcome.commit,
        claimText: outcome.result?.claimText ?? null,
        claimFile: path.join(seed.dir, 'conductor-claims', stream.id, 'result.json'),
      });
      verdicts.push({ stream: stream.id, agent: outcome.result?.agent, reported: outcome.result?.verdict?.status, judged: judged.status, commit: judged.commit });
    }
    const honest = verdicts.slice(0, 11);
    expect(honest.every((v) => v.judged === 'shipped' && v.reported === 'shipped')).toBe(true);
    // Each verdict cites a commit the remote has.
    for (const v of verdicts) expect(await git(seed.remote, 'cat-file', '-t', v.commit)).toBe('commit');
    // Work was spread over the agents (2 slots each).
    expect(new Set(honest.map((v) => v.agent)).size).toBeGreaterThan(1);
    // The forged verdict is testimony: the pushed tree has none of s12's files.
    expect(verdicts[11]).toMatchObject({ stream: 's12', agent: 'rogue', reported: 'shipped', judged: 'missing' });
    // Each honest attempt's snapshots are on the remote under refs/godmode/<run>/snapshots/<stream>/<attempt>.
    const refs = await git(seed.remote, 'for-each-ref', '--format=%(refname)', `refs/godmode/${runId}/snapshots/`);
    expect(refs.split('\n').filter(Boolean)).toHaveLength(11);
    // Each agent's supervisor journals its governor samples in the run it works for, as a local conductor does,
    // naming the agent: the machine's CPU, its ceiling, the workers it runs and pauses.
    const samples = (await runner.journal(runId).read()).entries.filter((e) => e.kind === governorSampleKind);
    const byAgent = new Set(samples.map((e) => (e.payload as { agent?: string }).agent));
    expect([...byAgent].filter((a) => a === undefined)).toEqual([]);
    expect(byAgent.size).toBeGreaterThan(1);
    for (const e of samples) expect(governorSampleSchema.safeParse(e.payload).success).toBe(true);
    expect(samples.some((e) => (e.payload as { workers: number }).workers > 0)).toBe(true);
  });
  it('a base the remote lacks fails the job once with that reason (completed as base-missing, never retried)', async () => {
    const missing = 'f'.repeat(40);
    const id = attemptJobId('run-no-base', 's1', 1);
    await runner!.boss.send(attemptQueue, { runId: 'run-no-base', stream: plainStreams(1)[0], attempt: 1, base: missing, remote: seed.remote, settings: { snapshotEveryMs: 400, budgetMs: 30_000 }, onDisk: '' }, { id, heartbeatSeconds: 10, retryLimit: 5 });
    let job = await runner!.boss.getJobById<unknown>(attemptQueue, id);
    for (let i = 0; i < 100 && job?.state !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      job = await runner!.boss.getJobById<unknown>(attemptQueue, id);
    }
    expect(job?.state).toBe('completed');
    expect(job?.retryCount).toBe(0);
    expect(job?.output).toMatchObject({ outcome: 'base-missing', commit: null });
    expect((job?.output as { reason: string }).reason).toContain(missing);
  });

  it('a remote that refuses pushes: the worker runs on, the failure is journaled, the attempt ends push-failed with no commit to judge', async () => {
    // The remote takes bases but refuses snapshot refs, as a protected remote would.
    const hook = path.join(seed.remote, 'hooks', 'pre-receive');
    await writeFile(hook, `#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/godmode/*/snapshots/*) echo "snapshots are not allowed here" >&2; exit 1;; esac; done\nexit 0\n`);
    await chmod(hook, 0o755);
    try {
      const runId = 'run-refused';
      const [stream] = plainStreams(1, 2, 200);
      const outcome = await runner!.runAttempt({ runId, stream: stream!, attempt: 1, base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 300, budgetMs: 6_000 });
      expect(outcome.state).toBe('completed');
      expect(outcome.result?.outcome).toBe('push-failed');
      expect(outcome.commit).toBeNull();
      expect(outcome.problem).toMatch(/pushed no commit \(push-failed/);
      // The worker was not stopped for it: it finished its files and its claim.
      expect(outcome.result?.exit).toMatchObject({ code: 0 });
      const notes = (await runner!.journal(runId).read()).entries;
      const failures = notes.filter((e) => e.kind === 'fleet.push-failed');
      expect(failures.length).toBeGreaterThan(0);
      expect(JSON.stringify(failures[0]!.payload)).toMatch(/refused by the remote/);
    } finally {
      await rm(hook, { force: true });
    }
  });
  it('a second conductor enqueueing the same attempt (a takeover) waits on the same job: the attempt runs once', async () => {
    const second = await FleetAttemptRunner.connect({ db: cluster.url('fleet'), pollMs: 200 });
    try {
      const runId = 'run-twice';
      const [stream] = plainStreams(1, 2, 300);
      const request = { runId, stream: stream!, attempt: 1, base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 400, budgetMs: 30_000 };
      const [a, b] = await Promise.all([runner!.runAttempt(request), second.runAttempt(request)]);
      expect(a.jobId).toBe(b.jobId);
      expect(a.result?.attemptId).toBe(b.result?.attemptId);
      const started = (await runner!.journal(runId).read()).entries.filter((e) => e.kind === 'fleet.worker-started');
      expect(started).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('a worker that writes nothing pushes nothing: the result cites the start commit (the base) and its ref, which the remote has', async () => {
    const runId = 'run-nothing';
    const [stream] = streamsOf(`name: nothing\nphases:\n  - id: p\n    streams:\n      - id: idle\n        worker: { adapter: command, options: { command: 'true' } }\n        deliverables: []\n`);
    const outcome = await runner!.runAttempt({ runId, stream: stream!, attempt: 1, base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 400, budgetMs: 30_000 });
    expect(outcome.problem).toBeNull();
    expect(outcome.result).toMatchObject({ outcome: 'finished', commit: seed.base, ref: remoteBaseRef(runId, seed.base), snapshots: 0, resumed: false });
    expect(outcome.commit).toBe(seed.base);
    expect(await git(seed.remote, 'for-each-ref', '--format=%(refname)', `refs/godmode/${runId}/snapshots/`)).toBe('');
    const pushed = (await runner!.journal(runId).read()).entries.filter((e) => e.kind === 'fleet.snapshot-pushed');
    expect(pushed).toEqual([]);
  });

  it('a worker that commits its own work: its commit is pushed and cited, not taken for "nothing changed"', async () => {
    const runId = 'run-commits';
    const command = "mkdir -p out && echo committed > out/c.txt && git add -A && git -c user.name=w -c user.email=w@example.invalid commit -qm 'the work'";
    const [stream] = streamsOf(`name: commits\nphases:\n  - id: p\n    streams:\n      - id: committer\n        worker: { adapter: command, options: { command: "${command}" } }\n        deliverables: [out/c.txt]\n`);
    const outcome = await runner!.runAttempt({ runId, stream: stream!, attempt: 1, base: seed.base, repo: seed.repo, remote: seed.remote, snapshotEveryMs: 400, budgetMs: 30_000 });
    expect(outcome.problem).toBeNull();
    expect(outcome.result).toMatchObject({ outcome: 'finished' });
    expect(outcome.commit).not.toBe(seed.base);
    // The remote has the cited commit, and it holds the worker's file.
    expect(await git(seed.remote, 'show', `${outcome.commit}:out/c.txt`)).toBe('committed');
  });
});

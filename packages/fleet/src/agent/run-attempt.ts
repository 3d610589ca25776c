import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { workerEnv, type Verdict, type WorkerIdentity } from '@godmode/protocol';
import { reconcile, runCheck } from '@godmode/reconciler';
import type { Supervisor } from '@godmode/supervisor';
import { changedFiles, snapshotWorktree } from '@godmode/worktrees';
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { FleetGitError } from '../errors/fleet-git-error.js';
import { fetchStart, pushSnapshot } from '../git/remote.js';
import { attemptIdOf, attemptJobSchema, attemptQueue, remoteBaseRef, remoteSnapshotRef, type AttemptJob, type AttemptResult } from '../queue/attempt-job.js';
import type { SlotWorktrees } from './slot-worktrees.js';
import type { WorkerWatch } from './worker-watch.js';

export interface AttemptContext {
  boss: PgBoss;
  supervisor: Supervisor;
  watch: WorkerWatch;
  clone: string;
  home: string;
  /** The agent's worktrees, reused from attempt to attempt. */
  worktrees: SlotWorktrees;
  agent: string;
  /** Unfenced notes in the run's Postgres journal (fleet.*): best effort, never blocks the attempt. */
  note: (runId: string, kind: string, payload: Record<string, unknown>) => void;
  log: (line: string) => void;
  /** Aborted when the agent is told to stop. */
  stop: AbortSignal;
  /** Called once a job was settled for good (the conductor is told at once). */
  settled: () => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

/**
 * One try of one stream attempt on this agent, from fetch to completion:
 *
 * 1. the base (and the attempt's last pushed snapshot, when an earlier try pushed one) is fetched from the
 *    shared remote; a base the remote lacks completes the job as `base-missing` (no retry can fix it);
 * 2. a local worktree is cut at the snapshot (resumed) or the base, and the worker runs there under this
 *    machine's supervisor, told in GODMODE_ON_DISK (and its prompt) what it starts from;
 * 3. while the worker lives: the job's heartbeat is touched (only while the supervisor sees it alive), and
 *    a snapshot is pushed whenever the tree moved and `snapshotEveryMs` passed;
 * 4. when the heartbeat cannot reach the database for a whole heartbeat period, or pg-boss says the try is no
 *    longer ours, the worker is stopped and nothing more is pushed for this try (`abandoned`);
 * 5. at the end a final snapshot is pushed (retried with backoff), the local verdict is taken, and the job is
 *    completed for this try only (`{ id, retryCount }`): pg-boss refuses the completion of a superseded try.
 */
export async function runAttempt(ctx: AttemptContext, job: JobWithMetadata<unknown>): Promise<void> {
  const attemptId = attemptIdOf(job);
  const parsed = attemptJobSchema.safeParse(job.data);
  const base: Omit<AttemptResult, 'outcome' | 'reason'> = { attemptId, agent: ctx.agent, host: hostname(), commit: null, ref: null, startedFrom: null, resumed: false, exit: null, verdict: null, claimText: null, snapshots: 0 };
  const settle = async (result: AttemptResult): Promise<boolean> => {
    const response = (await ctx.boss.complete(attemptQueue, { id: job.id, retryCount: job.retryCount }, result)) as { affected?: number };
    const accepted = (response.affected ?? 0) > 0;
    if (accepted) ctx.settled();
    if (!accepted) ctx.log(`attempt ${attemptId}: completion refused by the queue (this try was superseded)`);
    return accepted;
  };
  if (!parsed.success) {
    ctx.log(`job ${job.id}: not an attempt job (${parsed.error.issues[0]?.message ?? 'invalid'}); completed as bad-job, never retried`);
    await settle({ ...base, outcome: 'bad-job', reason: `not an attempt job: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
    return;
  }
  const data = parsed.data;
  const where = `run ${data.runId}, stream ${data.stream.id}, attempt ${data.attempt}`;
  ctx.note(data.runId, 'fleet.attempt-started', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, host: hostname() });

  // 1. What to start from.
  let start: { commit: string; resumed: boolean };
  try {
    // Only a retried job can have a snapshot of an earlier try to continue from (the job id is the attempt's).
    start = await fetchStart(ctx.clone, data.remote, { runId: data.runId, stream: data.stream.id, attempt: data.attempt, base: data.base, mayHaveSnapshot: job.retryCount > 0 });
  } catch (error) {
    if (FleetGitError.isInstance(error) && error.problem === 'base-missing') {
      ctx.log(`${where}: ${error.message}`);
      ctx.note(data.runId, 'fleet.attempt-failed', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, outcome: 'base-missing', reason: error.message });
      await settle({ ...base, outcome: 'base-missing', reason: error.message });
      return;
    }
    // The remote did not answer: let pg-boss retry the job later (with its backoff), here or elsewhere.
    ctx.log(`${where}: ${(error as Error).message}; the job goes back to the queue`);
    await ctx.boss.fail(attemptQueue, { id: job.id, retryCount: job.retryCount }, { reason: (error as Error).message, agent: ctx.agent });
    return;
  }
  const tryName = `a${data.attempt}-t${job.retryCount}`;
  const attemptDir = path.join(ctx.home, 'runs', data.runId, 'streams', data.stream.id, 'attempts', tryName);
  const resultFile = path.join(attemptDir, 'result.json');
  await mkdir(attemptDir, { recursive: true });
  const workdir = await ctx.worktrees.acquire(start.commit);

  // The plan's setup runs in every fresh worktree (a new machine has none of the dependencies an earlier try installed).
  if (data.setup) {
    const setup = await runCheck({ command: data.setup.command, cwd: workdir, timeoutMs: data.setup.timeoutMs, env: { GODMODE_WORKDIR: workdir, GODMODE_BASE: data.base } });
    ctx.note(data.runId, 'fleet.setup', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, exitCode: setup.exitCode, timedOut: setup.timedOut, durationMs: setup.durationMs, outputTail: setup.outputTail.slice(-2_000) });
    if (setup.exitCode !== 0 || setup.timedOut) {
      const how = setup.timedOut ? `timed out after ${data.setup.timeoutMs} ms` : `failed with exit ${setup.exitCode}`;
      await settle({ ...base, startedFrom: start.commit, resumed: start.resumed, outcome: 'setup-failed', reason: `the setup \`${data.setup.command}\` ${how} on ${ctx.agent}: ${setup.outputTail.slice(-500)}` });
      ctx.worktrees.release(workdir, true);
      return;
    }
  }

  // 2. The worker, told what it starts from.
  let onDisk = data.onDisk;
  if (start.resumed) {
    const changed = await changedFiles(workdir, data.base, start.commit).catch(() => []);
    const list = changed.slice(0, 50).map((c) => `  ${c.path}`).join('\n');
    onDisk = [
      onDisk,
      `This attempt continues from snapshot ${start.commit}, pushed by an earlier try of the same attempt (on another agent) before it was cut off. ` +
        `The work tree already holds its work: ${changed.length} file(s) changed since the base ${data.base.slice(0, 12)}${changed.length > 0 ? ':\n' + list : '.'}`,
    ].filter(Boolean).join('\n\n');
  }
  let spec = data.stream.worker;
  if (spec.adapter === 'claude' && typeof spec.options.prompt === 'string' && onDisk) {
    spec = { ...spec, options: { ...spec.options, prompt: `${spec.options.prompt}\n\n${onDisk}\nDo not redo what is present.` } };
  }
  const ref = remoteSnapshotRef(data.runId, data.stream.id, data.attempt);
  const startedAt = Date.now();
  let identity: WorkerIdentity;
  try {
    identity = await ctx.supervisor.spawn({
      stream: data.stream.id,
      attempt: data.attempt,
      spec,
      workdir,
      attemptDir,
      ...(data.settings.budgetMs ? { budgetMs: data.settings.budgetMs } : {}),
      env: {
        [workerEnv.runDir]: path.join(ctx.home, 'runs', data.runId),
        [workerEnv.stream]: data.stream.id,
        [workerEnv.workdir]: workdir,
        [workerEnv.result]: resultFile,
        [workerEnv.attempt]: String(data.attempt),
        [workerEnv.onDisk]: onDisk,
        GODMODE_BASE: data.base,
        GODMODE_FLEET_AGENT: ctx.agent,
        GODMODE_FLEET_ATTEMPT_ID: attemptId,
      },
    });
  } catch (error) {
    ctx.worktrees.release(workdir, true);
    await settle({ ...base, startedFrom: start.commit, resumed: start.resumed, outcome: 'spawn-failed', reason: (error as Error).message });
    return;
  }
  ctx.watch.markSpawned(identity);
  ctx.log(`${where}: worker ${identity.pid} started from ${start.resumed ? 'snapshot' : 'base'} ${start.commit.slice(0, 12)} (try ${attemptId})`);
  ctx.note(data.runId, 'fleet.worker-started', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, pid: identity.pid, startedFrom: start.commit, resumed: start.resumed });

  // 3. Heartbeat and snapshots while it lives.
  const heartbeatMs = (job.heartbeatSeconds ?? 30) * 1_000;
  let lastContact = Date.now();
  let abandoned: string | null = null;
  let lastPushed = start.commit;
  let lastTree: string | null = null;
  let snapshots = 0;
  let pushFailures = 0;
  let nextPushAt = Date.now() + data.settings.snapshotEveryMs;
  // Where the start commit lives on the remote: the base's ref, or this attempt's snapshot ref when resumed.
  const startRef = start.resumed ? ref : remoteBaseRef(data.runId, data.base);
  let lastRef = startRef;

  /** The work tree as a commit to push; null when the remote already has it (unchanged since the start or the last push). */
  const snapshot = async (): Promise<{ commit: string; tree: string } | null> => {
    const snap = await snapshotWorktree({ worktree: workdir, ref: `refs/godmode-agent/${data.runId}/${data.stream.id}/${tryName}`, message: `godmode snapshot of stream ${data.stream.id}, attempt ${data.attempt} (${ctx.agent}, try ${attemptId})` });
    // Nothing pushed by this try yet and the tree is the start commit's (tracked and untracked files alike:
    // the snapshot is then HEAD itself, still the start commit): the remote already has it, so the result
    // cites that commit and its ref. A worker that committed moved HEAD: its commit is pushed.
    if (snapshots === 0 && snap.commit === start.commit) return null;
    // The disk did not move since the last push: nothing to push.
    return snap.tree === lastTree ? null : snap;
  };
  const push = async (snap: { commit: string; tree: string } | null, final: boolean): Promise<boolean> => {
    if (snap === null) return true;
    if (abandoned !== null) return false; // Cut off meanwhile: nothing more goes out for this try.
    try {
      await pushSnapshot(ctx.clone, data.remote, snap.commit, ref);
      lastPushed = snap.commit;
      lastRef = ref;
      lastTree = snap.tree;
      snapshots++;
      pushFailures = 0;
      ctx.note(data.runId, 'fleet.snapshot-pushed', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, commit: snap.commit, ref, final });
      return true;
    } catch (error) {
      pushFailures++;
      ctx.log(`${where}: ${(error as Error).message} (push failure ${pushFailures}; the worker keeps running)`);
      ctx.note(data.runId, 'fleet.push-failed', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, reason: (error as Error).message, failures: pushFailures });
      return false;
    }
  };
  const snapshotAndPush = async (final: boolean): Promise<boolean> => push(await snapshot(), final);

  const ending = ctx.watch.next(identity);
  let ended: Awaited<typeof ending> | null = null;
  void ending.then((e) => (ended = e));
  const tick = Math.max(250, Math.min(heartbeatMs / 4, 2_000));
  // Pushes run beside the loop: a remote that does not answer must never hold up the heartbeat.
  let pushing: Promise<void> | null = null;
  while (ended === null) {
    await Promise.race([ending, sleep(tick)]);
    if (ended !== null) break;
    if (ctx.stop.aborted && abandoned === null) abandoned = 'the agent is stopping';
    if (abandoned === null) {
      // Heartbeat only for a worker the supervisor still sees alive.
      if (ctx.watch.isAlive(identity)) {
        try {
          const touched = (await within(ctx.boss.touch(attemptQueue, { id: job.id, retryCount: job.retryCount }), Math.min(5_000, heartbeatMs / 2))) as { affected?: number };
          if ((touched.affected ?? 0) === 0) abandoned = `the queue no longer gives this try (${attemptId}) to this agent`;
          else lastContact = Date.now();
        } catch (error) {
          if (Date.now() - lastContact >= heartbeatMs) abandoned = `no contact with the database for ${Math.round((Date.now() - lastContact) / 1000)} s (${(error as Error).message})`;
        }
      }
    }
    if (abandoned !== null) break;
    if (pushing === null && Date.now() >= nextPushAt) {
      pushing = snapshotAndPush(false).then(
        (ok) => {
          // After a failed push, back off (doubling, up to 8 periods) rather than hammer the remote.
          nextPushAt = Date.now() + data.settings.snapshotEveryMs * (ok ? 1 : Math.min(8, 2 ** pushFailures));
          pushing = null;
        },
        () => {
          nextPushAt = Date.now() + data.settings.snapshotEveryMs;
          pushing = null;
        },
      );
    }
  }
  if (pushing !== null && abandoned === null) await pushing;

  if (abandoned !== null) {
    // 4. Cut off or superseded: stop the worker, push nothing more for this try.
    ctx.log(`${where}: ${abandoned}; stopping worker ${identity.pid}, pushing nothing more for try ${attemptId}`);
    await ctx.supervisor.stopGracefully(identity).catch(() => undefined);
    await Promise.race([ending, sleep(15_000)]);
    ctx.worktrees.release(workdir, (ended as { type: string } | null)?.type === 'exited');
    ctx.note(data.runId, 'fleet.attempt-abandoned', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, reason: abandoned });
    if (ctx.stop.aborted) {
      // A clean shutdown hands the job back at once (when it is still ours) instead of waiting for the heartbeat to lapse.
      await ctx.boss.fail(attemptQueue, { id: job.id, retryCount: job.retryCount }, { reason: abandoned, agent: ctx.agent }).catch(() => undefined);
    } else {
      void lateSettlement(ctx, job, attemptId, data, abandoned);
    }
    return;
  }

  // 5. The end: stalled or over budget workers are ended first (the snapshot is taken before any signal).
  const end = ended as unknown as { type: string; exitCode?: number | null; signal?: string | null };
  ctx.note(data.runId, 'fleet.worker-ended', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, how: end.type, ms: Date.now() - startedAt });
  let workerGone = end.type === 'exited';
  if (end.type === 'stalled' || end.type === 'budget-exceeded') {
    await snapshotAndPush(false);
    await ctx.supervisor.reap(identity).catch(() => undefined);
    const after = await Promise.race([ctx.watch.next(identity), sleep(20_000).then(() => null)]);
    if (after === null || after.type !== 'exited') workerGone = false;
  }
  // The final snapshot is what the worker left, taken before the local verdict (whose checks may write in the
  // tree); then the push and the local verdict go side by side: neither needs the other.
  const finalSnapshot = await snapshot();
  const judging = (async () => {
    const claimText = await readFile(resultFile, 'utf8').then((t) => t.slice(0, 64 * 1024), () => null);
    let verdict: Verdict | null = null;
    try {
      verdict = await reconcile({ stream: data.stream, workTree: workdir, claim: { path: resultFile }, attempt: data.attempt, claimSince: startedAt, gitBase: data.base });
    } catch (error) {
      ctx.log(`${where}: local verdict failed: ${(error as Error).message}`);
    }
    return { claimText, verdict };
  })();
  // Not judged until a push succeeds or the attempt's budget ends (10 minutes without a budget).
  const pushDeadline = startedAt + (data.settings.budgetMs ?? 600_000);
  let pushed = await push(finalSnapshot, true);
  for (let i = 1; !pushed && Date.now() < pushDeadline && !ctx.stop.aborted; i++) {
    await sleep(Math.min(30_000, 500 * 2 ** i, Math.max(0, pushDeadline - Date.now())), ctx.stop);
    // The heartbeat goes on while the agent waits for the remote: the job is still being worked on.
    await within(ctx.boss.touch(attemptQueue, { id: job.id, retryCount: job.retryCount }), 5_000).catch(() => undefined);
    pushed = await push(finalSnapshot, true);
  }
  const { claimText, verdict } = await judging;
  const result: AttemptResult = {
    ...base,
    outcome: pushed ? 'finished' : 'push-failed',
    reason: pushed ? null : `no snapshot could be pushed to ${data.remote}`,
    commit: pushed ? lastPushed : null,
    ref: pushed ? lastRef : null,
    startedFrom: start.commit,
    resumed: start.resumed,
    exit: end.type === 'exited' ? { code: end.exitCode ?? null, signal: end.signal ?? null } : null,
    verdict,
    claimText,
    snapshots,
  };
  const accepted = await settle(result);
  ctx.note(data.runId, accepted ? 'fleet.attempt-finished' : 'fleet.late-completion-refused', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, commit: result.commit, status: verdict?.status ?? null });
  ctx.worktrees.release(workdir, workerGone);
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * An abandoned try (cut off from the database) hands its job back once the database answers again. When the
 * job has moved on (another agent holds a newer try), pg-boss refuses the call by attempt id and nothing of
 * this try is recorded as its result.
 */
async function lateSettlement(ctx: AttemptContext, job: JobWithMetadata<unknown>, attemptId: string, data: AttemptJob, reason: string): Promise<void> {
  for (let i = 0; i < 120 && !ctx.stop.aborted; i++) {
    try {
      const response = (await within(ctx.boss.fail(attemptQueue, { id: job.id, retryCount: job.retryCount }, { reason, agent: ctx.agent, late: true }), 5_000)) as { affected?: number };
      const refused = (response.affected ?? 0) === 0;
      ctx.log(`attempt ${attemptId}: late settlement ${refused ? 'refused by the queue (superseded)' : 'accepted: the job goes back to the queue'}`);
      ctx.note(data.runId, refused ? 'fleet.late-completion-refused' : 'fleet.attempt-handed-back', { stream: data.stream.id, attempt: data.attempt, attemptId, agent: ctx.agent, reason });
      return;
    } catch {
      await sleep(2_000, ctx.stop);
    }
  }
}

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { journalKinds, workerEnv, type Phase, type Stream, type Verdict, type WorkerIdentity } from '@godmode/protocol';
import { CANARY_CONFIG_FILE } from '@godmode/scorer';
import { retireClaim } from '@godmode/reconciler';
import { SpawnRefusedError } from '@godmode/supervisor';
import { retryDelayMs } from './backoff.js';
import { judgeStream } from './judge.js';
import { holdSummary, onDiskSummary } from './on-disk-summary.js';
import type { RunContext } from './run-context.js';
import { sleep } from './sleep.js';
import { prepareWorkspace } from './workspace.js';
import { runFleetAttempt } from '../fleet/fleet-attempt.js';

/** The commit the stream started from, as the worker sees it. */
export const baseEnv = workerEnv.base;

/**
 * One stream to its end for this phase: adopted or reconciled first on takeover, then attempts until it ships,
 * runs out of attempts, or the run stops. A shipped stream is never started again, whoever conducted it.
 */
export async function runStream(ctx: RunContext, phase: Phase, stream: Stream, phaseBase: string | null): Promise<void> {
  const progress = ctx.progress(stream.id);
  if (progress.verdict?.status === 'shipped') return;
  progress.base ??= phaseBase;
  // An attempt that ended on a usage limit is not counted (`limitedAttempts` grows while the stream runs).
  const maxAttempts = () => (stream.maxAttempts ?? ctx.plan.settings.maxAttempts) + progress.extraAttempts + progress.limitedAttempts;
  const s = ctx.plan.settings;
  const adapter = stream.worker.adapter;

  if (progress.adopted) {
    const { identity, attempt } = progress.adopted;
    progress.adopted = null;
    if (await superviseAttempt(ctx, stream, identity, attempt)) return;
  } else if (progress.attempts > 0 && !progress.verdict) {
    // Taken over with no verdict for the last attempt: the disk decides before anyone retries.
    const verdict = await judgeStream(ctx, stream, progress.attempts);
    if (verdict?.status === 'shipped') return;
  }

  const shipped = () => (progress.verdict as Verdict | null)?.status === 'shipped';
  while (!ctx.stopSignal.aborted && !shipped() && progress.attempts < maxAttempts()) {
    const attempt = progress.attempts + 1;
    // A hold on the adapter's admissions is the wait before this attempt: no back-off on top of it.
    if (attempt > 1 && !progress.hold && !ctx.admissions.current(adapter)) {
      const delayMs = retryDelayMs(attempt, s.retryBaseMs, s.retryMaxMs);
      await ctx.journal(journalKinds.streamRetryScheduled, { stream: stream.id, phase: phase.id, attempt, delayMs });
      if (!(await sleep(delayMs, ctx.stopSignal))) return;
    }
    if (!(await ctx.admissions.pass(adapter, stream.id, attempt, ctx.stopSignal))) return;
    if (ctx.fleet) {
      // A fleet run: the attempt runs on an agent; its pushed tree is judged here like a local one.
      if (await runFleetAttempt(ctx, ctx.fleet, phase, stream, attempt)) return;
      continue;
    }
    await ctx.supervisor.waitForAdmission(ctx.stopSignal).catch(() => {});
    if (!ctx.acting || ctx.stopSignal.aborted) return;
    const workspace = await prepareWorkspace(ctx, stream, attempt, progress.base);
    if (!workspace.ok) {
      await setupFailed(ctx, stream, attempt, workspace.setup);
      return;
    }
    // A claim belongs to the attempt that wrote it: an earlier attempt's result.json is moved aside before this starts.
    await retireClaim(ctx.store.layout.streamDir(stream.id), attempt);
    const identity = await spawn(ctx, stream, attempt, workspace.workdir);
    if (!identity) return;
    progress.attempts = attempt;
    if (await superviseAttempt(ctx, stream, identity, attempt)) return;
  }
}

/** A setup that failed is the stream's failure with its output kept, not the run's crash. */
async function setupFailed(ctx: RunContext, stream: Stream, attempt: number, setup: import('@godmode/protocol').CheckEvidence): Promise<void> {
  const progress = ctx.progress(stream.id);
  const how = setup.timedOut ? `timed out after ${ctx.plan.setupTimeoutMs} ms` : `failed with exit ${setup.exitCode}`;
  const verdict: Verdict = {
    stream: stream.id,
    status: 'missing',
    divergence: 'no-claim',
    sentence: `no claim; the setup \`${setup.command}\` ${how}, so no worker started — disk says missing`,
    deliverables: { expected: stream.deliverables.length, present: 0 },
    evidence: { deliverables: [], check: setup, git: null },
    claim: { state: 'absent', status: null, says: 'unknown', problem: null },
    attempt,
    reconciledAt: new Date().toISOString(),
  };
  progress.attempts = attempt;
  await ctx.store.writeVerdict(stream.id, verdict);
  await ctx.journal(journalKinds.streamReconciled, verdict);
  progress.verdict = verdict;
}

/** Starts and journals one attempt; null when this conductor turned out not to hold the run any more. */
async function spawn(ctx: RunContext, stream: Stream, attempt: number, workdir: string): Promise<WorkerIdentity | null> {
  const layout = ctx.store.layout;
  const progress = ctx.progress(stream.id);
  const summary = [holdSummary(progress.hold), onDiskSummary(progress.hold ? null : progress.verdict)].filter(Boolean).join('\n\n');
  let spec = stream.worker;
  if (stream.worker.adapter === 'claude' && typeof stream.worker.options.prompt === 'string') {
    const options: Record<string, unknown> = { ...stream.worker.options };
    if (summary) options.prompt = `${stream.worker.options.prompt}\n\n${summary}\nDo not redo what is present.`;
    spec = { ...stream.worker, options };
  }
  // A retry continues the earlier Claude Code session instead of starting cold (unless the plan says `resume: false`).
  const resumeSessionId = attempt > 1 && ctx.plan.resume && stream.worker.adapter === 'claude' ? progress.sessionId : null;
  // The canaries go in the worker's environment and in a config file beside its logs (outside the work
  // tree, so it is never merged); the scorer knows the file by name and looks for leaks everywhere else.
  const secretsFile = ctx.canaries.values.length > 0 ? join(layout.attemptDir(stream.id, attempt), CANARY_CONFIG_FILE) : null;
  if (secretsFile) {
    await mkdir(dirname(secretsFile), { recursive: true });
    await writeFile(secretsFile, JSON.stringify({ secrets: ctx.canaries.env }, null, 2) + '\n', { mode: 0o600 });
  }
  let identity: WorkerIdentity;
  try {
    identity = await ctx.supervisor.spawn({
      stream: stream.id,
      attempt,
      spec,
      workdir,
      attemptDir: layout.attemptDir(stream.id, attempt),
      budgetMs: stream.budgetMs ?? ctx.plan.settings.budgetMs,
      // What the worker inherits is the plan's choice; godmode's own credentials never.
      ...(ctx.plan.env ? { envPolicy: ctx.plan.env } : {}),
      ...(resumeSessionId ? { resumeSessionId } : {}),
      env: {
        ...ctx.canaries.env,
        [workerEnv.runDir]: ctx.store.dir,
        [workerEnv.stream]: stream.id,
        [workerEnv.workdir]: workdir,
        [workerEnv.result]: layout.resultFile(stream.id),
        [workerEnv.attempt]: String(attempt),
        [workerEnv.planDir]: ctx.planDir,
        [workerEnv.onDisk]: summary,
        ...(progress.base ? { [baseEnv]: progress.base } : {}),
        ...(secretsFile ? { [workerEnv.secretsFile]: secretsFile } : {}),
      },
    });
  } catch (error) {
    if (SpawnRefusedError.isInstance(error)) return null;
    throw error;
  }
  const recorded = await ctx.journal(journalKinds.streamSpawned, {
    stream: stream.id,
    attempt,
    identity,
    logs: { stdout: join(layout.attemptDir(stream.id, attempt), 'stdout.log'), stderr: join(layout.attemptDir(stream.id, attempt), 'stderr.log') },
    ...(progress.base ? { base: progress.base } : {}),
    ...(resumeSessionId ? { resumed: resumeSessionId } : {}),
  });
  if (!recorded) {
    // The lease went between the spawn and its entry (this process was paused in between): no journal
    // names this worker, so no conductor would ever see it finish. End it before it does anything.
    await ctx.supervisor.endUnrecorded(identity);
    return null;
  }
  progress.hold = null;
  return identity;
}

/**
 * Waits for the attempt to end, then lets the disk decide. Returns true when the stream is
 * finished for this run (shipped, or the conductor must stop), false to retry.
 */
export async function superviseAttempt(ctx: RunContext, stream: Stream, identity: WorkerIdentity, attempt: number): Promise<boolean> {
  for (;;) {
    const terminal = await ctx.events.nextTerminal(identity, ctx.stopSignal);
    if (terminal === null) {
      // Stopping: graceful SIGTERM only if we still hold the lease; then read the disk.
      if (ctx.acting) {
        await ctx.supervisor.stopGracefully(identity).catch(() => {});
        await judgeStream(ctx, stream, attempt);
      }
      return true;
    }
    if (terminal.type === 'exited') {
      const verdict = await judgeStream(ctx, stream, attempt);
      const reason = (terminal as { reason?: { code?: string; retryable?: boolean; message?: string; resetAt?: string } }).reason;
      // A usage limit that names its reset holds the adapter's admissions until then; this attempt does not count.
      if (verdict?.status !== 'shipped' && ctx.acting && (await ctx.admissions.limitReached(stream.worker.adapter, reason, { stream: stream.id, attempt }))) {
        ctx.progress(stream.id).limitedAttempts += 1;
        return false;
      }
      // What cannot succeed on a retry (a binary not installed, Claude Code not logged in) is not retried.
      if (verdict?.status !== 'shipped' && ctx.acting && reason?.retryable === false) {
        await ctx.journal('stream.not-retried', { stream: stream.id, attempt, reason: reason.message ?? 'not retryable' });
        return true;
      }
      return verdict?.status === 'shipped' || !ctx.acting;
    }
    // Stalled or over budget: read the disk before anyone is signalled.
    const verdict = await judgeStream(ctx, stream, attempt);
    if (!ctx.acting) return true;
    if (verdict?.status === 'shipped') {
      await ctx.journal('stream.stopped-after-ship', { stream: stream.id, attempt, reason: terminal.type, pid: identity.pid });
      await ctx.supervisor.stopGracefully(identity).catch(() => {});
      return true;
    }
    await ctx.supervisor.reap(identity).catch(() => {});
    // The exit event follows the reap; consume it so it is not mistaken for the next attempt's.
    await Promise.race([ctx.events.nextTerminal(identity, ctx.stopSignal), sleep(ctx.plan.settings.reapGraceMs + 2_000, ctx.stopSignal)]);
    const final = await judgeStream(ctx, stream, attempt);
    return final?.status === 'shipped' || !ctx.acting;
  }
}

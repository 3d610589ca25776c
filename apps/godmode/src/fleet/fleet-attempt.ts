import { rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Phase, Stream } from '@godmode/protocol';
import { resetWorktree } from '@godmode/worktrees';
import type { FleetAttemptOutcome, FleetAttemptRequest } from '@godmode/fleet';
import { judgeStream } from '../conductor/judge.js';
import { holdSummary, onDiskSummary } from '../conductor/on-disk-summary.js';
import type { RunContext } from '../conductor/run-context.js';
import { prepareWorkspace, type Workspace } from '../conductor/workspace.js';
import type { FleetSettings } from './fleet-settings.js';

/** What a conductor needs to send attempts to the fleet: the runner (`FleetAttemptRunner`) and the run's settings. */
export interface FleetSeam {
  runner: { runAttempt(request: FleetAttemptRequest, signal?: AbortSignal): Promise<FleetAttemptOutcome> };
  settings: FleetSettings;
  /** The run's lease in the fleet database (absent in tests that drive the seam alone): nothing is pushed without it. */
  lease?: { readonly valid: boolean };
  /**
   * The integration head this conductor last saw on the remote (`refs/godmode/<run>/integration`), which the
   * merge queue's next push must find there (compare-and-swap): undefined until it first looks, null for none.
   */
  integration?: { onRemote: string | null | undefined };
}

/**
 * One stream attempt through the fleet instead of the local supervisor. The stream's local worktree is made as
 * for a local attempt; the attempt runs on some agent; then the commit it pushed is checked out into that
 * worktree, the claim it relayed written where a local worker's claim goes, and the stream judged exactly as a
 * local attempt is. The agent's own verdict is journaled as testimony only. Returns true when the stream is done
 * for this run (shipped, or this conductor no longer acts), false to retry.
 */
export async function runFleetAttempt(ctx: RunContext, fleet: FleetSeam, phase: Phase, stream: Stream, attempt: number): Promise<boolean> {
  const progress = ctx.progress(stream.id);
  const base = progress.base;
  const repo = ctx.repository;
  if (!repo || !base) {
    throw new Error('a fleet run needs a git repository (the agents fetch its base from the shared remote)');
  }
  // The conductor's own worktree is where the verdict is taken (checks included). With a setup, it is made first:
  // a setup that fails here fails the stream, as locally, and nothing is enqueued. Without one, nothing in it can
  // fail the stream before its verdict, so it is made while the attempt runs on an agent.
  let ready: Promise<Workspace> | null = null;
  if (ctx.plan.setup) {
    const workspace = await prepareWorkspace(ctx, stream, attempt, base);
    if (!workspace.ok) return true;
    ready = Promise.resolve(workspace);
  }
  if (!ctx.acting || ctx.stopSignal.aborted) return true;
  const summary = [holdSummary(progress.hold), onDiskSummary(progress.hold ? null : progress.verdict)].filter(Boolean).join('\n\n');
  await ctx.journal('fleet.attempt-queued', { stream: stream.id, phase: phase.id, attempt, base, remote: fleet.settings.remote });
  progress.attempts = attempt;
  progress.hold = null;
  ready ??= prepareWorkspace(ctx, stream, attempt, base);
  let outcome: FleetAttemptOutcome;
  let workspace: Workspace;
  try {
    const running = fleet.runner.runAttempt(
      {
        runId: ctx.store.id,
        stream,
        attempt,
        base,
        repo: repo.repo,
        remote: fleet.settings.remote,
        snapshotEveryMs: fleet.settings.snapshotEveryMs,
        budgetMs: stream.budgetMs ?? ctx.plan.settings.budgetMs ?? null,
        onDisk: summary,
        setup: ctx.plan.setup ? { command: ctx.plan.setup, timeoutMs: ctx.plan.setupTimeoutMs } : null,
      },
      ctx.stopSignal,
    );
    [outcome, workspace] = await Promise.all([running, ready]);
  } catch (error) {
    if (ctx.stopSignal.aborted) return true;
    throw error;
  }
  const r = outcome.result;
  await ctx.journal('fleet.attempt-settled', {
    stream: stream.id,
    attempt,
    job: outcome.jobId,
    state: outcome.state,
    retries: outcome.retries,
    agent: r?.agent ?? null,
    attemptId: r?.attemptId ?? null,
    resumed: r?.resumed ?? false,
    // The commit the last try started from (the last snapshot when resumed): the receipt's "started from".
    startedFrom: r?.startedFrom ?? null,
    commit: outcome.commit,
    problem: outcome.problem,
    // Testimony: what the agent said, never what is believed.
    reported: r?.verdict?.status ?? null,
  });
  if (!ctx.acting || !workspace.ok) return true;
  // The evidence: the pushed tree (the base when nothing was pushed) in the stream's own worktree.
  await resetWorktree(workspace.workdir, outcome.commit ?? base);
  const claimFile = ctx.store.layout.resultFile(stream.id);
  await mkdir(dirname(claimFile), { recursive: true });
  if (r?.claimText) await writeFile(claimFile, r.claimText);
  else await rm(claimFile, { force: true });
  const verdict = await judgeStream(ctx, stream, attempt);
  return verdict?.status === 'shipped' || !ctx.acting;
}

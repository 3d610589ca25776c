import { join } from 'node:path';
import { journalKinds, type Stream, type Verdict } from '@godmode/protocol';
import { reconcile, withCheckEnv, type ReconcileInput } from '@godmode/reconciler';
import { changedFiles, runNames, snapshotWorktree } from '@godmode/worktrees';
import { againstBase } from './against-base.js';
import { checkEnv } from './check-processes.js';
import type { RunContext } from './run-context.js';

/** A verdict and, on a repository, the snapshot commit it judged (written into verdict.json beside it). */
export type Judged = Verdict & { snapshot?: { commit: string; ref: string; base: string; changed: number } };

/**
 * The reconciler's verdict and a snapshot commit of the same work tree, taken together, then counted against
 * `base` (only what is new or changed since it is the stream's work). What the conductor does at every reconcile
 * of a stream on a repository, and what `bench/worktrees` measures against `git status`.
 */
export async function judgeAgainstBase(input: ReconcileInput & { stream: Stream; base: string; ref: string; index?: string }): Promise<Judged> {
  const [plain, snap] = await Promise.all([
    reconcile({ ...input, gitBase: input.base }),
    snapshotWorktree({ worktree: input.workTree, ref: input.ref, ...(input.index ? { index: input.index } : {}), message: `godmode snapshot of stream ${input.stream.id}${input.attempt ? `, attempt ${input.attempt}` : ''}` }),
  ]);
  const changed = await changedFiles(input.workTree, input.base, snap.commit);
  return { ...againstBase(plain, input.stream.deliverables, new Set(changed.map((c) => c.path)), input.base), snapshot: { commit: snap.commit, ref: input.ref, base: input.base, changed: changed.length } };
}

/**
 * Lets the disk decide one stream: the reconciler's verdict against the work tree, and on a repository a
 * snapshot commit of that tree taken at the same moment (temporary index; the worktree's own index and branch
 * untouched), with the verdict counted against the stream's base. Written to verdict.json, then journaled.
 */
export async function judgeStream(ctx: RunContext, stream: Stream, attempt: number): Promise<Verdict | null> {
  if (!ctx.acting) return null;
  const progress = ctx.progress(stream.id);
  const workTree = ctx.store.layout.workDir(stream.id);
  const base = ctx.repository ? progress.base : null;
  const claim = { path: ctx.store.layout.resultFile(stream.id) };
  // The work tree must be inside this run's folder (a symlinked root is tampering), and a worker that wrote no
  // result.json is held to its final answer, when it printed one in this attempt.
  const answer = progress.finalAnswer?.attempt === attempt ? progress.finalAnswer.text : null;
  const judged = { stream, workTree, claim, attempt, cache: ctx.hashes, within: ctx.store.layout.runDir, finalAnswer: answer };
  // The stream's check runs marked as this run's and this conductor's: a taker ends it if this conductor dies.
  const verdict: Judged = await withCheckEnv(checkEnv(ctx.store.dir, 'check', stream.id), () =>
    base
      ? judgeAgainstBase({ ...judged, base, ref: runNames(ctx.store.id).snapshot(stream.id, attempt), index: join(ctx.store.layout.streamDir(stream.id), 'snapshot.index') })
      : reconcile(judged),
  );
  if (!ctx.acting) return null;
  // On a repository the verdict names the snapshot commit it judged, so what was judged stays addressable.
  await ctx.store.writeVerdict(stream.id, verdict);
  await ctx.journal(journalKinds.streamReconciled, verdict);
  progress.verdict = verdict;
  progress.snapshot = verdict.snapshot?.commit ?? null;
  return verdict;
}

import { journalKinds, type Stream, type Verdict } from '@godmode/protocol';
import { reconcile } from '@godmode/reconciler';
import { changedFiles, runNames, snapshotWorktree } from '@godmode/worktrees';
import { againstBase } from './against-base.js';
import type { RunContext } from './run-context.js';

/** A verdict and, on a repository, the snapshot commit it judged (written into verdict.json beside it). */
export type Judged = Verdict & { snapshot?: { commit: string; ref: string; base: string; changed: number } };

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
  let verdict: Judged;
  if (base) {
    const ref = runNames(ctx.store.id).snapshot(stream.id, attempt);
    const [plain, snap] = await Promise.all([
      reconcile({ stream, workTree, claim, attempt, cache: ctx.hashes, gitBase: base }),
      snapshotWorktree({ worktree: workTree, ref, message: `godmode snapshot of stream ${stream.id}, attempt ${attempt}` }),
    ]);
    const changed = await changedFiles(workTree, base, snap.commit);
    verdict = { ...againstBase(plain, stream.deliverables, new Set(changed.map((c) => c.path)), base), snapshot: { commit: snap.commit, ref, base, changed: changed.length } };
  } else {
    verdict = await reconcile({ stream, workTree, claim, attempt, cache: ctx.hashes });
  }
  if (!ctx.acting) return null;
  await ctx.store.writeVerdict(stream.id, verdict);
  // The verdict schema has no snapshot field yet: the file is rewritten with it, so what was judged is addressable.
  if (verdict.snapshot) await ctx.store.writeJson(`streams/${stream.id}/verdict.json`, verdict);
  await ctx.journal(journalKinds.streamReconciled, verdict);
  progress.verdict = verdict;
  progress.snapshot = verdict.snapshot?.commit ?? null;
  return verdict;
}

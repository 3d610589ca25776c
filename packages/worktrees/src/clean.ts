import { RepositoryError } from './errors/repository-error.js';
import { git, gitOk } from './git.js';
import { isAncestor, type Repository } from './repository.js';
import { captureTree } from './snapshot.js';
import { listWorktrees } from './worktree.js';

export interface CleanInput {
  repo: Repository;
  /**
   * The worktrees to remove (absolute paths; ones already gone are skipped), each with the ref prefix of its
   * snapshots (e.g. `refs/godmode/<run-id>/snapshots/<stream>/`) when it has any.
   */
  worktrees: Array<{ path: string; snapshots?: string }>;
  /** Delete these branches when (and only when) each is fully merged into `mergedInto`. */
  deleteBranches?: { branches: string[]; mergedInto: string };
}

export interface CleanResult {
  removed: string[];
  deletedBranches: string[];
  /** Branches kept because they hold commits `mergedInto` lacks. */
  keptBranches: string[];
}

/**
 * Removes worktrees (`git worktree remove`, then `git worktree prune`) and keeps their branches. A worktree
 * whose uncommitted state is exactly one of its snapshot commits (made on its HEAD: what a verdict judged and
 * the merge queue merged) is settled first — its branch moves to that commit, so the branch holds the work.
 * All or nothing: if any worktree holds changes that are in no commit (work done after its last snapshot), it
 * is a `RepositoryError` naming each such worktree, and nothing was removed or moved.
 */
export async function cleanWorktrees(input: CleanInput): Promise<CleanResult> {
  const registered = new Map((await listWorktrees(input.repo)).map((w) => [w.path, w]));
  const present = input.worktrees.filter((w) => registered.has(w.path));
  const dirty: string[] = [];
  const settle: Array<{ branch: string; from: string; to: string }> = [];
  await Promise.all(
    present.map(async (w) => {
      const s = await gitOk(w.path, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
      const n = s.split('\0').filter(Boolean).length;
      if (n === 0) return;
      const branch = registered.get(w.path)?.branch ?? null;
      const found = branch && w.snapshots ? await matchingSnapshot(input.repo, w.path, w.snapshots) : null;
      if (branch && found) settle.push({ branch, from: found.head, to: found.commit });
      else dirty.push(`${w.path} (${n} uncommitted change${n === 1 ? '' : 's'} in no commit)`);
    }),
  );
  if (dirty.length > 0) {
    throw new RepositoryError({
      problem: 'worktree-dirty',
      where: dirty.join(', '),
      message: `Refusing to remove worktrees with work that is in no commit on their branch:\n  ${dirty.sort().join('\n  ')}\nNothing was removed.`,
      hint: 'Commit that work on its branch (or copy it out), or remove the worktree yourself with `git worktree remove --force <path>`.',
    });
  }
  for (const s of settle) await gitOk(input.repo.top, ['update-ref', '-m', 'godmode clean: the branch takes its last snapshot', `refs/heads/${s.branch}`, s.to, s.from]);
  const removed: string[] = [];
  for (const w of present) {
    await gitOk(input.repo.top, ['worktree', 'remove', '--force', w.path]);
    removed.push(w.path);
  }
  await git(input.repo.top, ['worktree', 'prune']);
  const deletedBranches: string[] = [];
  const keptBranches: string[] = [];
  if (input.deleteBranches) {
    const checkedOut = new Set((await listWorktrees(input.repo)).map((w) => w.branch));
    for (const b of input.deleteBranches.branches) {
      const exists = (await git(input.repo.top, ['rev-parse', '-q', '--verify', `refs/heads/${b}`])).code === 0;
      if (!exists) continue;
      if (!checkedOut.has(b) && (await isAncestor(input.repo.top, `refs/heads/${b}`, `refs/heads/${input.deleteBranches.mergedInto}`))) {
        await gitOk(input.repo.top, ['branch', '-q', '-D', b]);
        deletedBranches.push(b);
      } else keptBranches.push(b);
    }
  }
  return { removed, deletedBranches, keptBranches };
}

/** The snapshot (under `prefix`) whose tree is the worktree's state now and whose parent is its HEAD, if any. */
async function matchingSnapshot(repo: Repository, worktree: string, prefix: string): Promise<{ commit: string; head: string } | null> {
  const { head, tree } = await captureTree(worktree);
  const out = await gitOk(repo.top, ['for-each-ref', '--format=%(objectname) %(tree) %(parent)', prefix]);
  for (const line of out.split('\n').filter(Boolean)) {
    const [commit, t, parent] = line.split(' ');
    if (t === tree && parent === head) return { commit: commit as string, head };
  }
  return null;
}

import { RepositoryError } from './errors/repository-error.js';
import { git, gitOk } from './git.js';
import { isAncestor, type Repository } from './repository.js';
import { listWorktrees } from './worktree.js';

export interface CleanInput {
  repo: Repository;
  /** The worktrees to remove (absolute paths); ones that are already gone are skipped. */
  worktrees: string[];
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
 * Removes worktrees (`git worktree remove`, then `git worktree prune`) and keeps their branches. All or
 * nothing: if any worktree holds changes that are in no commit on its branch, it is a `RepositoryError`
 * naming each such worktree, and nothing was removed.
 */
export async function cleanWorktrees(input: CleanInput): Promise<CleanResult> {
  const registered = new Map((await listWorktrees(input.repo)).map((w) => [w.path, w]));
  const present = input.worktrees.filter((p) => registered.has(p));
  const dirty: string[] = [];
  await Promise.all(
    present.map(async (p) => {
      const s = await gitOk(p, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
      const n = s.split('\0').filter(Boolean).length;
      if (n > 0) dirty.push(`${p} (${n} uncommitted change${n === 1 ? '' : 's'})`);
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
  const removed: string[] = [];
  for (const p of present) {
    await gitOk(input.repo.top, ['worktree', 'remove', '--force', p]);
    removed.push(p);
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

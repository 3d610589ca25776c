import { RepositoryError } from './errors/repository-error.js';
import { git, gitOk } from './git.js';
import { isAncestor, openRepository, readCheckout } from './repository.js';

export interface ApplyInput {
  /** A folder of the user's checkout. */
  checkout: string;
  /** The branch to bring in, e.g. `godmode/<run-id>/integration`. */
  branch: string;
  /** Only report what would happen. */
  dryRun?: boolean;
}

export interface ApplyResult {
  how: 'fast-forward' | 'merge' | 'up-to-date';
  /** The user's branch. */
  into: string;
  before: string;
  after: string;
}

/**
 * Brings `branch` into the user's current branch — by fast-forward, or by a merge that git's `merge-tree`
 * proved clean beforehand — and only when the checkout has no tracked change. Anything else is a
 * `RepositoryError` saying what to do, and nothing was changed.
 */
export async function applyBranch(input: ApplyInput): Promise<ApplyResult> {
  const repo = await openRepository(input.checkout, 'The folder');
  const checkout = await readCheckout(repo);
  const source = await git(repo.top, ['rev-parse', '-q', '--verify', `refs/heads/${input.branch}^{commit}`]);
  if (source.code !== 0) {
    throw new RepositoryError({ problem: 'base-unresolved', where: input.branch, message: `There is no branch ${input.branch} in ${repo.top}.`, hint: 'The run may have been started in another repository, or its branches deleted.' });
  }
  const from = source.stdout.trim();
  if (!checkout.branch || !checkout.head) {
    throw new RepositoryError({ problem: 'detached-head', where: repo.top, message: `HEAD is detached in ${repo.top}: there is no branch to apply ${input.branch} to.`, hint: 'Check out the branch the result should land on (`git switch <branch>`), then apply again.' });
  }
  if (checkout.changed.length > 0) {
    const shown = checkout.changed.slice(0, 5).join(', ') + (checkout.changed.length > 5 ? `, and ${checkout.changed.length - 5} more` : '');
    throw new RepositoryError({
      problem: 'checkout-dirty',
      where: repo.top,
      message: `${repo.top} has uncommitted changes (${shown}); nothing was applied.`,
      hint: `Commit or stash them first, or merge by hand: git merge ${input.branch}`,
    });
  }
  const head = checkout.head;
  const result = (how: ApplyResult['how'], after: string): ApplyResult => ({ how, into: checkout.branch as string, before: head, after });
  if (await isAncestor(repo.top, from, head)) return result('up-to-date', head);
  if (await isAncestor(repo.top, head, from)) {
    if (input.dryRun) return result('fast-forward', from);
    const r = await git(repo.top, ['merge', '--ff-only', '-q', from]);
    if (r.code !== 0) throw refusedByGit(repo.top, input.branch, r.stderr);
    return result('fast-forward', from);
  }
  const trial = await git(repo.top, ['merge-tree', '--write-tree', '--name-only', '--no-messages', head, from]);
  if (trial.code !== 0) {
    const files = trial.stdout.split('\n').slice(1).filter(Boolean);
    throw new RepositoryError({
      problem: 'not-mergeable',
      where: input.branch,
      message: `${input.branch} does not merge cleanly into ${checkout.branch}${files.length ? ` (conflicts in ${files.slice(0, 5).join(', ')})` : ''}; nothing was applied.`,
      hint: `Merge it yourself and resolve the conflicts: git merge ${input.branch}`,
    });
  }
  if (input.dryRun) return result('merge', head);
  const r = await git(repo.top, ['merge', '--no-ff', '--no-edit', '-q', '-m', `Merge ${input.branch} (godmode orchestra apply)`, from]);
  if (r.code !== 0) {
    if ((await git(repo.top, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'])).code === 0) await git(repo.top, ['merge', '--abort']);
    throw refusedByGit(repo.top, input.branch, r.stderr);
  }
  return result('merge', (await gitOk(repo.top, ['rev-parse', 'HEAD'])).trim());
}

function refusedByGit(top: string, branch: string, stderr: string): RepositoryError {
  const why = stderr.trim().split('\n').slice(0, 4).join('\n');
  return new RepositoryError({
    problem: 'checkout-dirty',
    where: top,
    message: `git refused to bring ${branch} into ${top}${why ? `:\n${why}` : '.'}`,
    hint: 'Usually untracked files would be overwritten: move them away, then apply again.',
  });
}

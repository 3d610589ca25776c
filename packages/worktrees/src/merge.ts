import { GitCommandError } from './errors/git-command-error.js';
import { git, gitOk } from './git.js';
import { godmodeIdentity } from './names.js';
import { resetWorktree } from './worktree.js';

export type MergeOutcome =
  | { status: 'merged'; before: string; after: string }
  /** Already in the branch's history (e.g. merged by a conductor that died before journaling it). */
  | { status: 'already-merged'; before: string; after: string }
  /** Aborted: the tree is back at `before`. */
  | { status: 'conflicts'; before: string; files: string[] };

/**
 * Merges `commit` into the branch checked out in `tree` (a worktree of godmode's own, never the user's
 * checkout) with `git merge --no-ff`. A conflict is aborted at once and reported with the files named.
 */
export async function mergeInto(tree: string, commit: string, message: string): Promise<MergeOutcome> {
  const before = (await gitOk(tree, ['rev-parse', 'HEAD'])).trim();
  if ((await git(tree, ['merge-base', '--is-ancestor', commit, before])).code === 0) return { status: 'already-merged', before, after: before };
  const r = await git(tree, ['merge', '--no-ff', '--no-edit', '--no-verify', '-q', '-m', message, commit], godmodeIdentity);
  if (r.code === 0) return { status: 'merged', before, after: (await gitOk(tree, ['rev-parse', 'HEAD'])).trim() };
  const unmerged = await git(tree, ['diff', '--name-only', '-z', '--diff-filter=U']);
  const files = unmerged.stdout.split('\0').filter(Boolean);
  await resetWorktree(tree, before);
  if (files.length === 0) throw new GitCommandError({ cwd: tree, args: ['merge', '--no-ff', commit], exitCode: r.code, stderr: r.stderr });
  return { status: 'conflicts', before, files };
}

/** Takes a merge back: the tree (godmode's own) and its branch return to `before`. */
export async function undoMerge(tree: string, before: string): Promise<void> {
  await resetWorktree(tree, before);
}

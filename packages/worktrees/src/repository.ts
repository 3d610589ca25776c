import { stat } from 'node:fs/promises';
import path from 'node:path';
import { RepositoryError } from './errors/repository-error.js';
import { git, gitOk } from './git.js';

/** A git repository a run works on: the top of its main work tree. */
export interface Repository {
  /** Absolute path of the top of the work tree (`git rev-parse --show-toplevel`). */
  top: string;
}

/** The repository that contains `dir`, or null when `dir` is in none (or does not exist). */
export async function findRepository(dir: string): Promise<Repository | null> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) return null;
  const r = await git(dir, ['rev-parse', '--show-toplevel']);
  if (r.code !== 0 || !r.stdout.trim()) return null;
  return { top: path.resolve(r.stdout.trim()) };
}

/** As `findRepository`, but a folder in no repository is a `RepositoryError` naming it. */
export async function openRepository(dir: string, what = 'repo'): Promise<Repository> {
  const found = await findRepository(dir);
  if (!found) {
    throw new RepositoryError({
      problem: 'not-a-repository',
      where: dir,
      message: `${what} ${dir} is not in a git repository.`,
      hint: 'Point `repo:` at a git repository (or run `git init` and commit there), or leave `repo:` out to run in plain folders.',
    });
  }
  return found;
}

/** What the user's checkout is standing on. Read-only: no index refresh, no lock taken. */
export interface Checkout {
  /** HEAD's commit, null in a repository with no commit yet. */
  head: string | null;
  /** The current branch (short name), null when HEAD is detached. */
  branch: string | null;
  /** Tracked files with changes (staged or not); untracked files are listed apart. */
  changed: string[];
  untracked: string[];
}

export async function readCheckout(repo: Repository): Promise<Checkout> {
  const [head, branch, status] = await Promise.all([
    git(repo.top, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']),
    git(repo.top, ['symbolic-ref', '--short', '-q', 'HEAD']),
    git(repo.top, ['status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all']),
  ]);
  const changed: string[] = [];
  const untracked: string[] = [];
  for (const e of status.stdout.split('\0')) {
    if (e.length < 4) continue;
    (e.startsWith('??') ? untracked : changed).push(e.slice(3));
  }
  return { head: head.code === 0 ? head.stdout.trim() : null, branch: branch.code === 0 ? branch.stdout.trim() : null, changed, untracked };
}

/**
 * The run's base commit: `rev` resolved to a commit, else HEAD. Refused (a `RepositoryError`, nothing changed)
 * when the repository has no commit, when `rev` does not resolve, and when HEAD is detached and no `rev` says
 * which commit is meant (the result could not be brought back to a branch).
 */
export async function resolveBase(repo: Repository, rev?: string | null): Promise<string> {
  const head = await git(repo.top, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']);
  if (head.code !== 0) {
    throw new RepositoryError({
      problem: 'no-commit',
      where: repo.top,
      message: `The repository ${repo.top} has no commit yet, so there is nothing for the streams to start from.`,
      hint: 'Commit something first (e.g. `git commit --allow-empty -m init`).',
    });
  }
  if (rev !== undefined && rev !== null && rev !== '') {
    const r = rev.startsWith('-') ? null : await git(repo.top, ['rev-parse', '-q', '--verify', `${rev}^{commit}`]);
    if (!r || r.code !== 0) {
      throw new RepositoryError({
        problem: 'base-unresolved',
        where: rev,
        message: `--base ${rev} does not name a commit in ${repo.top}.`,
        hint: 'Give a branch, tag or commit id that `git rev-parse` resolves there (e.g. --base main or --base HEAD~1).',
      });
    }
    return r.stdout.trim();
  }
  const branch = await git(repo.top, ['symbolic-ref', '-q', 'HEAD']);
  if (branch.code !== 0) {
    throw new RepositoryError({
      problem: 'detached-head',
      where: repo.top,
      message: `HEAD is detached in ${repo.top} (at ${head.stdout.trim().slice(0, 12)}), so the run would have no branch to come back to.`,
      hint: 'Check out a branch (`git switch <branch>`), or name the starting commit with --base <rev>.',
    });
  }
  return head.stdout.trim();
}

/** Full ref names that exist under `prefix` (e.g. a run's branches), in git's order. */
export async function refsUnder(repo: Repository, prefix: string): Promise<string[]> {
  const out = await gitOk(repo.top, ['for-each-ref', '--format=%(refname)', prefix]);
  return out.split('\n').filter(Boolean);
}

/** The commit a ref or revision names, or null. */
export async function commitOf(cwd: string, rev: string): Promise<string | null> {
  const r = await git(cwd, ['rev-parse', '-q', '--verify', `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** True when `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await git(cwd, ['merge-base', '--is-ancestor', ancestor, descendant])).code === 0;
}

import { realpath } from 'node:fs/promises';
import type { GitEvidence } from '@godmode/protocol';
import { git, gitTopLevel } from '../git/git.js';

/** Branches taken as the repository's main line, in order, when no base is recorded. */
export const mainBranches = ['main', 'master', 'trunk'] as const;

/**
 * Git evidence for a work tree that is itself the top of a git work tree (a folder that merely sits inside
 * some other repository gets none: that repository's history is not the stream's).
 * Base: the recorded base when given, else the merge-base with the first of `mainBranches` that exists,
 * else the root commit. Uncommitted changes: entries of `git status --porcelain` (untracked included,
 * ignored files not).
 */
export async function gitEvidence(realRoot: string, recordedBase?: string | null): Promise<GitEvidence | null> {
  const top = await gitTopLevel(realRoot);
  if (top === null || (await realpath(top).catch(() => top)) !== realRoot) return null;
  const [branch, status, head] = await Promise.all([
    git(realRoot, ['symbolic-ref', '--short', '-q', 'HEAD']),
    git(realRoot, ['status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all']),
    git(realRoot, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']),
  ]);
  const uncommittedChanges = status.code === 0 ? status.stdout.split('\0').filter((e) => e.length > 0).length : 0;
  if (head.code !== 0) {
    return { branch: branch.code === 0 ? branch.stdout.trim() : null, base: null, commitsSinceBase: 0, uncommittedChanges };
  }
  const base = await findBase(realRoot, recordedBase ?? null);
  let commitsSinceBase = 0;
  if (base !== null) {
    const count = await git(realRoot, ['rev-list', '--count', `${base}..HEAD`]);
    if (count.code === 0) commitsSinceBase = Number(count.stdout.trim()) || 0;
  }
  return { branch: branch.code === 0 ? branch.stdout.trim() : null, base, commitsSinceBase, uncommittedChanges };
}

async function findBase(cwd: string, recorded: string | null): Promise<string | null> {
  if (recorded) {
    const r = await git(cwd, ['rev-parse', '-q', '--verify', `${recorded}^{commit}`]);
    if (r.code === 0) return r.stdout.trim();
  }
  for (const name of mainBranches) {
    const mb = await git(cwd, ['merge-base', 'HEAD', `refs/heads/${name}`]);
    if (mb.code === 0 && mb.stdout.trim()) return mb.stdout.trim();
  }
  const roots = await git(cwd, ['rev-list', '--max-parents=0', 'HEAD']);
  const root = roots.stdout.trim().split('\n').at(-1);
  return roots.code === 0 && root ? root : null;
}

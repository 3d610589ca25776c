import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git } from './git.js';

export const godmodeIdentity = { GIT_AUTHOR_NAME: 'godmode', GIT_AUTHOR_EMAIL: 'godmode@localhost', GIT_COMMITTER_NAME: 'godmode', GIT_COMMITTER_EMAIL: 'godmode@localhost' };

/**
 * A commit holding everything in the work tree as it is on disk (committed or not, ignored files aside),
 * made through a throwaway index so the worker's branch, index and files are untouched. Returns HEAD
 * itself when nothing is uncommitted, and null when the tree is not a git work tree with a commit.
 */
export async function snapshotCommit(workTree: string, message: string): Promise<{ commit: string; snapshot: boolean } | null> {
  const head = await git(workTree, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']);
  if (head.code !== 0) return null;
  const status = await git(workTree, ['status', '--porcelain', '-z', '--untracked-files=all']);
  if (status.code === 0 && status.stdout.length === 0) return { commit: head.stdout.trim(), snapshot: false };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'godmode-index-'));
  try {
    const env = { GIT_INDEX_FILE: path.join(dir, 'index') };
    const steps = [await git(workTree, ['read-tree', 'HEAD'], env), await git(workTree, ['add', '-A', '.'], env)];
    if (steps.some((s) => s.code !== 0)) return null;
    const tree = await git(workTree, ['write-tree'], env);
    if (tree.code !== 0) return null;
    const commit = await git(workTree, ['commit-tree', tree.stdout.trim(), '-p', head.stdout.trim(), '-m', message], godmodeIdentity);
    return commit.code === 0 ? { commit: commit.stdout.trim(), snapshot: true } : null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitOk } from './git.js';
import { godmodeIdentity } from './names.js';

export interface SnapshotInput {
  /** The worktree to capture (a live agent may be working in it). */
  worktree: string;
  /** The ref that keeps the snapshot, e.g. `refs/godmode/<run-id>/snapshots/<stream>/<n>`. */
  ref: string;
  message?: string;
}

export interface Snapshot {
  /** The commit that holds the work tree as it was: HEAD itself when nothing is uncommitted. */
  commit: string;
  /** Its tree. */
  tree: string;
  /** The worktree's HEAD it was taken on. */
  head: string;
  ref: string;
}

/**
 * Captures a worktree's state as a commit — uncommitted and untracked files included, ignored files left out —
 * without touching the worktree's own index, HEAD or branch: a copy of its index (so unchanged files are not
 * hashed again) is updated under `GIT_INDEX_FILE` with `git add -A`, written as a tree, and committed on top
 * of HEAD with `commit-tree`; only `ref` is moved. Nothing is lost when the worktree is removed afterwards.
 */
export async function snapshotWorktree(input: SnapshotInput): Promise<Snapshot> {
  const { head, tree } = await captureTree(input.worktree);
  const headTree = (await gitOk(input.worktree, ['rev-parse', 'HEAD^{tree}'])).trim();
  const commit =
    tree === headTree
      ? head
      : (await gitOk(input.worktree, ['commit-tree', tree, '-p', head, '-m', input.message ?? 'godmode snapshot'], { ...godmodeIdentity })).trim();
  await gitOk(input.worktree, ['update-ref', input.ref, commit]);
  return { commit, tree, head, ref: input.ref };
}

/**
 * The tree a worktree's files make right now (uncommitted and untracked included, ignored left out), and its
 * HEAD — written through a temporary copy of its index, so the worktree's own index is never touched.
 */
export async function captureTree(worktree: string): Promise<{ head: string; tree: string }> {
  const [head, indexPath] = await Promise.all([
    gitOk(worktree, ['rev-parse', 'HEAD']).then((s) => s.trim()),
    gitOk(worktree, ['rev-parse', '--path-format=absolute', '--git-path', 'index']).then((s) => s.trim()),
  ]);
  const scratch = await mkdtemp(path.join(tmpdir(), 'godmode-snapshot-'));
  const index = path.join(scratch, 'index');
  try {
    // The worktree's index is replaced by rename whenever git writes it, so a copy is always a whole one.
    // `add -A` then makes it match the work tree whatever it held (staged work, an agent's unfinished merge).
    const copied = await copyFile(indexPath, index).then(
      () => true,
      () => false,
    );
    const env = { GIT_INDEX_FILE: index, GIT_OPTIONAL_LOCKS: '0' };
    if (!copied) await gitOk(worktree, ['read-tree', 'HEAD'], env);
    await gitOk(worktree, ['add', '-A', '--', '.'], env);
    return { head, tree: (await gitOk(worktree, ['write-tree'], env)).trim() };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

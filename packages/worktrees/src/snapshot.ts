import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
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
  /**
   * Where godmode keeps its own index of this worktree between snapshots (outside the work tree), so a later
   * snapshot re-hashes only what changed since the last one and skips unchanged folders (untracked cache).
   * Default: a fresh copy of the worktree's index each time.
   */
  index?: string;
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
 * without touching the worktree's own index, HEAD or branch: an index of godmode's own (a copy of the worktree's
 * at first, so unchanged files are not hashed again) is updated under `GIT_INDEX_FILE` with `git add -A`,
 * written as a tree, and committed on top of HEAD with `commit-tree`; only `ref` is moved. Nothing is lost when
 * the worktree is removed afterwards.
 */
export async function snapshotWorktree(input: SnapshotInput): Promise<Snapshot> {
  const { head, headTree, tree } = await captureTree(input.worktree, input.index);
  const commit =
    tree === headTree
      ? head
      : (await gitOk(input.worktree, ['commit-tree', tree, '-p', head, '-m', input.message ?? 'godmode snapshot'], { ...godmodeIdentity })).trim();
  await gitOk(input.worktree, ['update-ref', input.ref, commit]);
  return { commit, tree, head, ref: input.ref };
}

/** The worktree's own index file, read from its `.git` file (a linked worktree) or folder, without a spawn. */
async function ownIndex(worktree: string): Promise<string> {
  const dotGit = path.join(worktree, '.git');
  const text = await readFile(dotGit, 'utf8').catch(() => null);
  const m = text ? /^gitdir: (.+)$/m.exec(text) : null;
  return m ? path.join(path.resolve(worktree, (m[1] as string).trim()), 'index') : path.join(dotGit, 'index');
}

/**
 * The tree a worktree's files make right now (uncommitted and untracked included, ignored left out), its HEAD
 * and HEAD's tree — written through an index of godmode's own (`index`, or a temporary copy), so the worktree's
 * own index is never touched.
 */
export async function captureTree(worktree: string, keptIndex?: string): Promise<{ head: string; headTree: string; tree: string }> {
  const scratch = keptIndex ? null : await mkdtemp(path.join(tmpdir(), 'godmode-snapshot-'));
  const index = keptIndex ?? path.join(scratch as string, 'index');
  try {
    const [revs, copied] = await Promise.all([
      gitOk(worktree, ['rev-parse', 'HEAD', 'HEAD^{tree}']),
      // The worktree's index is replaced by rename whenever git writes it, so a copy is always a whole one.
      // `add -A` then makes it match the work tree whatever it held (staged work, an agent's unfinished merge).
      (async () => {
        if (keptIndex && (await stat(keptIndex).catch(() => null))) return true;
        return copyFile(await ownIndex(worktree), index).then(
          () => true,
          () => false,
        );
      })(),
    ]);
    const [head, headTree] = revs.trim().split('\n') as [string, string];
    const env = { GIT_INDEX_FILE: index, GIT_OPTIONAL_LOCKS: '0' };
    if (!copied) await gitOk(worktree, ['read-tree', 'HEAD'], env);
    await gitOk(worktree, ['-c', 'core.untrackedCache=true', 'add', '-A', '--', '.'], env);
    return { head, headTree, tree: (await gitOk(worktree, ['write-tree'], env)).trim() };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

import { copyFile, mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitOk } from './git.js';
import { godmodeIdentity } from './names.js';
import { worktreeChanges } from './worktree-changes.js';

export interface SnapshotInput {
  /** The worktree to capture (a live agent may be working in it). */
  worktree: string;
  /** The ref that keeps the snapshot, e.g. `refs/godmode/<run-id>/snapshots/<stream>/<n>`. */
  ref: string;
  message?: string;
  /**
   * Where godmode keeps its own index of this worktree between snapshots (outside the work tree). Kept warm, its
   * stat data and untracked cache make a later snapshot read only the folders that changed and hash only the
   * files that changed. Default: a fresh copy of the worktree's index each time.
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
 * without touching the worktree's own index, HEAD or branch: see `captureTree`; the tree is committed on top of
 * HEAD with `commit-tree` and only `ref` is moved. Nothing is lost when the worktree is removed afterwards.
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
 * A copy of an index that keeps its mtime. Git trusts an entry whose stat data match the file unless the entry
 * is as new as the index file itself ("racily clean": the file may have changed again within the same clock
 * tick), so a copy stamped later would make such a file look unchanged. The mtime is read before the copy: if
 * git replaces the index meanwhile (always by rename, so a copy is always a whole one), the copy only looks
 * older, which makes git check more files, never fewer.
 */
async function copyIndex(from: string, to: string): Promise<boolean> {
  const before = await stat(from).catch(() => null);
  if (!before) return false;
  return copyFile(from, to).then(
    () => utimes(to, before.atime, before.mtime).then(() => true),
    () => false,
  );
}

/**
 * The tree a worktree's files make right now (uncommitted and untracked included, ignored left out), its HEAD
 * and HEAD's tree — exactly the tree `git add -A` would make on a copy of the worktree's index, written through
 * an index of godmode's own (`keptIndex`, or a temporary copy), so the worktree's own index is never touched.
 *
 * How, cheaper than `git status`: one `status` against godmode's index finds what differs from it (its stat
 * data and untracked cache, written back, spare re-reading unchanged folders and re-hashing unchanged files),
 * then `update-index` takes only those paths; when nothing differs from HEAD at all, no tree is written.
 */
export async function captureTree(worktree: string, keptIndex?: string): Promise<{ head: string; headTree: string; tree: string }> {
  const scratch = keptIndex ? null : await mkdtemp(path.join(tmpdir(), 'godmode-snapshot-'));
  const index = keptIndex ?? path.join(scratch as string, 'index');
  try {
    const copied = keptIndex && (await stat(keptIndex).catch(() => null)) ? true : await copyIndex(await ownIndex(worktree), index);
    const env = { GIT_INDEX_FILE: index };
    if (!copied) await gitOk(worktree, ['read-tree', 'HEAD'], env);
    const [revs, changes] = await Promise.all([gitOk(worktree, ['rev-parse', 'HEAD', 'HEAD^{tree}']), worktreeChanges(worktree, index, keptIndex !== undefined)]);
    const [head, headTree] = revs.trim().split('\n') as [string, string];
    if (changes.update.length > 0) {
      await gitOk(worktree, ['update-index', '-z', '--add', '--remove', '--replace', '--stdin'], env, changes.update.join('\0') + '\0');
    }
    // Nothing differs from HEAD (and HEAD did not move meanwhile): the tree is HEAD's, nothing to write.
    if (changes.clean && changes.head === head) return { head, headTree, tree: headTree };
    return { head, headTree, tree: (await gitOk(worktree, ['write-tree'], env)).trim() };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

import { copyFile, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { git, gitOk } from './git.js';
import { commonDirOf, gitDirOf, isObjectId, readLooseRef } from './git-files.js';
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
 * What the last snapshot through a kept index made, kept beside that index (`<index>.last`): the tree its
 * content was, the HEAD it was taken on (and that HEAD's tree), and the commit made of them with `message`.
 * It is removed before anything changes the index's content (created, or `update-index`), and written after, so
 * while it exists it describes the index as it is.
 */
interface LastSnapshot {
  head: string;
  headTree: string;
  tree: string;
  commit: string;
  message: string;
}

/**
 * Captures a worktree's state as a commit — uncommitted and untracked files included, ignored files left out —
 * without touching the worktree's own index, HEAD or branch: see `captureTree`; the tree is committed on top of
 * HEAD with `commit-tree` and only `ref` moves. Nothing is lost when the worktree is removed afterwards.
 *
 * With a kept index, a snapshot of a work tree that did not change since the last one (same HEAD, same tree,
 * same message) is that same commit again, and `ref` is written only when it does not already hold it: the
 * steady state of a live stream costs one `git status` of godmode's index.
 */
export async function snapshotWorktree(input: SnapshotInput): Promise<Snapshot> {
  const message = input.message ?? 'godmode snapshot';
  const { head, headTree, tree, last } = await capture(input.worktree, input.index);
  const commitTree = async () => (await gitOk(input.worktree, ['commit-tree', tree, '-p', head, '-m', message], { ...godmodeIdentity })).trim();
  const reused = tree !== headTree && last !== null && last.head === head && last.tree === tree && last.message === message ? last.commit : null;
  let commit = tree === headTree ? head : (reused ?? (await commitTree()));
  if ((await looseRef(input.worktree, input.ref)) !== commit) {
    // The last snapshot's commit may be gone (its ref deleted, then pruned): then it is made again.
    const set = await git(input.worktree, ['update-ref', input.ref, commit]);
    if (set.code !== 0 && reused !== null) commit = await commitTree();
    if (set.code !== 0) await gitOk(input.worktree, ['update-ref', input.ref, commit]);
  }
  if (input.index) await writeLast(input.index, { head, headTree, tree, commit, message });
  return { commit, tree, head, ref: input.ref };
}

/** The worktree's own index file, read from its `.git` file (a linked worktree) or folder, without a spawn. */
async function ownIndex(worktree: string): Promise<string> {
  return path.join(await gitDirOf(worktree), 'index');
}

/**
 * The commit a shared ref holds as a loose ref file (in the repository's common folder), or null when it is not
 * one: a ref git would read from that file holds exactly that commit, so an `update-ref` to it changes nothing.
 */
async function looseRef(worktree: string, ref: string): Promise<string | null> {
  return readLooseRef(await commonDirOf(await gitDirOf(worktree)), ref);
}

const lastFile = (index: string) => `${index}.last`;

async function readLast(index: string): Promise<LastSnapshot | null> {
  const text = await readFile(lastFile(index), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const o = JSON.parse(text) as Partial<LastSnapshot>;
    return isObjectId(o.head) && isObjectId(o.headTree) && isObjectId(o.tree) && isObjectId(o.commit) && typeof o.message === 'string' ? (o as LastSnapshot) : null;
  } catch {
    return null;
  }
}

/** Written whole (a new file renamed over the old), so a reader never sees half of it. */
async function writeLast(index: string, last: LastSnapshot): Promise<void> {
  const tmp = `${lastFile(index)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(last));
  await rename(tmp, lastFile(index));
}

const forgetLast = (index: string) => rm(lastFile(index), { force: true });

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
 */
export async function captureTree(worktree: string, keptIndex?: string): Promise<{ head: string; headTree: string; tree: string }> {
  const { head, headTree, tree } = await capture(worktree, keptIndex);
  return { head, headTree, tree };
}

/**
 * How, cheaper than `git status`: one `status` against godmode's index finds what differs from it (its stat
 * data and untracked cache, written back, spare re-reading unchanged folders and re-hashing unchanged files)
 * and which HEAD it compared with; then `update-index` takes only those paths. The tree is then HEAD's when
 * nothing differs from HEAD at all; the last snapshot's when status named nothing to update and the index is
 * still the one that tree was written from (`<index>.last`); else `write-tree`'s.
 *
 * Why reusing the last tree is exact: status names every path whose file differs from the index (git's
 * racy-stat rules re-read a file changed in the same clock tick as the index was written), so when it names
 * none, the work tree's tree is the index's; and the index's content changes only through `update-index` here,
 * before which `<index>.last` is removed. Status's own write-back changes stat data and caches, never content.
 */
async function capture(worktree: string, keptIndex?: string): Promise<{ head: string; headTree: string; tree: string; last: LastSnapshot | null }> {
  const scratch = keptIndex ? null : await mkdtemp(path.join(tmpdir(), 'godmode-snapshot-'));
  const index = keptIndex ?? path.join(scratch as string, 'index');
  try {
    const warm = keptIndex !== undefined && (await stat(keptIndex).catch(() => null)) !== null;
    if (keptIndex && !warm) await forgetLast(keptIndex);
    const copied = warm ? true : await copyIndex(await ownIndex(worktree), index);
    const env = { GIT_INDEX_FILE: index };
    if (!copied) await gitOk(worktree, ['read-tree', 'HEAD'], env);
    const changes = await worktreeChanges(worktree, index, keptIndex !== undefined);
    // Read after status: it describes the index status compared the work tree with.
    let last = warm ? await readLast(keptIndex as string) : null;
    let head = changes.head;
    let headTree: string;
    let raced = false;
    if (head === null) {
      // An unborn branch as status saw it: HEAD is asked again (git's own error when there still is no commit).
      [head, headTree] = (await gitOk(worktree, ['rev-parse', 'HEAD', 'HEAD^{tree}'])).trim().split('\n') as [string, string];
      raced = true;
    } else headTree = last?.head === head ? last.headTree : (await gitOk(worktree, ['rev-parse', `${head}^{tree}`])).trim();
    if (changes.update.length > 0) {
      if (keptIndex) await forgetLast(keptIndex);
      last = null;
      await gitOk(worktree, ['update-index', '-z', '--add', '--remove', '--replace', '--stdin'], env, changes.update.join('\0') + '\0');
    }
    // Nothing differs from HEAD: the tree is HEAD's, nothing to write.
    if (changes.clean && !raced) return { head, headTree, tree: headTree, last };
    // Nothing to update, and the index is the one the last snapshot's tree was written from.
    if (last !== null && !raced) return { head, headTree, tree: last.tree, last };
    return { head, headTree, tree: (await gitOk(worktree, ['write-tree'], env)).trim(), last };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { GitEvidence } from '@godmode/protocol';
import { git } from '../git/git.js';
import { readHeadRefs, type HeadRefs } from '../git/read-refs.js';
import type { HashCache } from './hash-cache.js';

/** Branches taken as the repository's main line, in order, when no base is recorded. */
export const mainBranches = ['main', 'master', 'trunk'] as const;

export interface GitEvidenceOptions {
  /** A recorded base commit (else the merge-base with the first of `mainBranches`, else the root commit). */
  base?: string | null;
  /**
   * What `uncommittedChanges` counts:
   * - `deliverables` (default): deliverable files that count whose content differs from HEAD's (new or
   *   changed, staged or not), found by comparing their git blob ids with `git ls-tree HEAD` — so the cost
   *   follows the deliverables, not the size of the tree;
   * - `tree`: every entry `git status --porcelain --untracked-files=all` shows (ignored files aside).
   */
  scope?: 'deliverables' | 'tree';
  /** Deliverable files that count: path → git blob id. Resolved when the deliverables are looked up. */
  blobs?: Promise<Map<string, string>>;
  /** Where those files can be (paths, and the static folders of globs), so HEAD's listing is read while they are hashed. */
  where?: string[];
  /** Memoises what depends only on immutable commits (HEAD's tree listing, base and count for a HEAD). */
  cache?: HashCache;
}

/**
 * Git evidence for a work tree that is itself the top of a git work tree (a folder that merely sits inside
 * some other repository gets none: that repository's history is not the stream's).
 */
export async function gitEvidence(realRoot: string, options: GitEvidenceOptions = {}): Promise<GitEvidence | null> {
  // Only the top of a work tree has a `.git` (folder, or file for a linked worktree): no spawn otherwise.
  if ((await lstat(path.join(realRoot, '.git')).catch(() => null)) === null) return null;
  const refs = readHeadRefs(realRoot, mainBranches) ?? (await headRefsFromGit(realRoot));
  if (refs === 'unborn') return unborn(realRoot, options);
  if (refs === null) return null;
  const { branch, sha, mains } = refs;
  const mainsKey = mains.map((l) => `${l.ref} ${l.sha}`).join('\n');
  const [uncommittedChanges, history] = await Promise.all([countChanges(realRoot, sha, options), history_(realRoot, sha, mainsKey, options)]);
  return { branch, base: history.base, commitsSinceBase: history.count, uncommittedChanges };
}

/** The same as `readHeadRefs`, asking git: one spawn, `%(HEAD)` marking the checked-out branch. */
async function headRefsFromGit(realRoot: string): Promise<HeadRefs | 'unborn' | null> {
  const heads = await git(realRoot, ['for-each-ref', '--format=%(HEAD) %(objectname) %(refname)', 'refs/heads/']);
  if (heads.code !== 0) return null;
  const lines = heads.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ current: l[0] === '*', sha: l.slice(2, l.indexOf(' ', 2)), ref: l.slice(l.indexOf(' ', 2) + 1) }));
  const current = lines.find((l) => l.current);
  const mains = mainBranches.flatMap((b) => lines.filter((l) => l.ref === `refs/heads/${b}`).map((l) => ({ ref: l.ref, sha: l.sha })));
  if (current) return { branch: current.ref.slice('refs/heads/'.length), sha: current.sha, mains };
  const head = await git(realRoot, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']);
  if (head.code !== 0) return 'unborn';
  return { branch: null, sha: head.stdout.trim(), mains };
}

/** A repository with no commit yet: a branch name, no base, and whatever is there is uncommitted. */
async function unborn(realRoot: string, options: GitEvidenceOptions): Promise<GitEvidence | null> {
  const branch = await git(realRoot, ['symbolic-ref', '--short', '-q', 'HEAD']);
  return { branch: branch.code === 0 ? branch.stdout.trim() : null, base: null, commitsSinceBase: 0, uncommittedChanges: await countChanges(realRoot, null, options) };
}

async function countChanges(cwd: string, head: string | null, options: GitEvidenceOptions): Promise<number> {
  if (options.scope === 'tree' || options.blobs === undefined) {
    const status = await git(cwd, ['status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all']);
    return status.code === 0 ? status.stdout.split('\0').filter((e) => e.length > 0).length : 0;
  }
  if (head === null) return (await options.blobs).size;
  // HEAD's listing of where the deliverables live is read while the files are being hashed.
  const [blobs, committed] = await Promise.all([options.blobs, headBlobs(cwd, head, options.where ?? [], options.cache)]);
  let changed = 0;
  for (const [file, blob] of blobs) if (committed.get(file) !== blob) changed++;
  return changed;
}

/** path → blob id in HEAD for the given paths. A commit never changes, so the answer is memoised by it. */
async function headBlobs(cwd: string, head: string, paths: string[], cache?: HashCache): Promise<Map<string, string>> {
  const key = `ls-tree:${head}:${paths.join('\0')}`;
  const hit = cache?.memo.get(key) as Map<string, string> | undefined;
  if (hit) return hit;
  const out = await git(cwd, ['ls-tree', '-r', '-z', '--full-tree', head, '--', ...paths]);
  const map = new Map<string, string>();
  for (const line of out.stdout.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (m) map.set(m[2] as string, m[1] as string);
  }
  if (out.code === 0) cache?.memo.set(key, map);
  return map;
}

/**
 * Base and commits since it, memoised by HEAD and the main branches' tips (both immutable as ids). The count
 * is `rev-list --count <base-or-main>..HEAD` (commits since the merge-base), run alongside finding the base.
 */
async function history_(cwd: string, head: string, mainsOut: string, options: GitEvidenceOptions): Promise<{ base: string | null; count: number }> {
  const key = `history:${head}:${options.base ?? ''}:${mainsOut}`;
  const hit = options.cache?.memo.get(key) as { base: string | null; count: number } | undefined;
  if (hit) return hit;
  const count = async (from: string) => {
    const r = await git(cwd, ['rev-list', '--count', `${from}..${head}`]);
    return r.code === 0 ? Number(r.stdout.trim()) || 0 : null;
  };
  let result: { base: string | null; count: number } | null = null;
  if (options.base) {
    const [base, n] = await Promise.all([git(cwd, ['rev-parse', '-q', '--verify', `${options.base}^{commit}`]), count(options.base)]);
    if (base.code === 0 && n !== null) result = { base: base.stdout.trim(), count: n };
  }
  const main = mainsOut.split('\n').filter(Boolean)[0]?.split(' ')[0];
  if (result === null && main) {
    const [base, n] = await Promise.all([git(cwd, ['merge-base', head, main]), count(main)]);
    if (base.code === 0 && base.stdout.trim() && n !== null) result = { base: base.stdout.trim(), count: n };
  }
  if (result === null) {
    const roots = await git(cwd, ['rev-list', '--max-parents=0', head]);
    const root = roots.stdout.trim().split('\n').at(-1);
    result = roots.code === 0 && root ? { base: root, count: (await count(root)) ?? 0 } : { base: null, count: 0 };
  }
  options.cache?.memo.set(key, result);
  return result;
}

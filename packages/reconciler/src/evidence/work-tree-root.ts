import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * The work tree's real path when it may be judged, or why not. `tampered` is set when the tree is not
 * where the run put it: the work tree itself (or a folder between `within` and it) is a symlink, or its
 * real path is not `realpath(within)/<the same relative path>`. Nothing in such a tree counts and it is
 * never merged — a worker that swaps its tree for a link to `/etc` must not get `/etc/passwd` shipped.
 */
export type WorkTreeRoot = { root: string; tampered: null } | { root: null; tampered: string | null };

export async function resolveWorkTree(workTree: string, within?: string): Promise<WorkTreeRoot> {
  const tree = path.resolve(workTree);
  const base = path.resolve(within ?? path.dirname(tree));
  const rel = path.relative(base, tree);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    return { root: null, tampered: `the work tree ${tree} is not inside the run's folder ${base} — evidence of tampering; nothing in it counts` };
  }
  const st = await lstat(tree).catch(() => null);
  if (st === null) return { root: null, tampered: null };
  if (st.isSymbolicLink()) {
    const target = await readlink(tree).catch(() => '?');
    return { root: null, tampered: `the work tree is a symlink (to ${target}) — evidence of tampering; nothing in it counts` };
  }
  if (!st.isDirectory()) return { root: null, tampered: null };
  const [real, realBase] = await Promise.all([realpath(tree).catch(() => null), realpath(base).catch(() => null)]);
  if (real === null || realBase === null) return { root: null, tampered: null };
  const expected = path.join(realBase, rel);
  if (real !== expected) {
    return { root: null, tampered: `the work tree's real path ${real} is not where the run put it (${expected}): a folder on the way is a symlink — evidence of tampering; nothing in it counts` };
  }
  return { root: real, tampered: null };
}

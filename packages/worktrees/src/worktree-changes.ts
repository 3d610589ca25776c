import { gitOk } from './git.js';

/** What differs between a work tree and an index of godmode's own, as `git add -A` would see it. */
export interface WorktreeChanges {
  /**
   * Paths `git add -A` would change in that index: tracked files modified, deleted or changed in type or mode,
   * unmerged entries, intent-to-add entries, and untracked files that are not ignored (a nested repository as
   * its folder, which git adds as a gitlink).
   */
  update: string[];
  /** Nothing differs at all: the index is HEAD's tree and the work tree is the index (no untracked file). */
  clean: boolean;
  /** The HEAD `status` compared with (`null` on an unborn branch). */
  head: string | null;
}

/**
 * Settings that make `status` on godmode's own index cheap and exact whatever the user's configuration: the
 * untracked cache on, keyed to `--untracked-files=all` (otherwise git declines it and reads every folder), no
 * fsmonitor hook (its answers are the user's index's business), no split index (which would write a shared
 * index into the repository).
 */
const settings = (kept: boolean) => ['-c', `core.untrackedCache=${kept}`, '-c', 'status.showUntrackedFiles=all', '-c', 'core.fsmonitor=false', '-c', 'core.splitIndex=false'];

/**
 * One `git status --porcelain=v2` against `index` (an index of godmode's own, never the worktree's). When that
 * index is `kept` between calls, its refreshed stat data and untracked cache are written back into it (optional
 * locks on, for this index only), so the next call re-reads only folders whose mtime moved and re-hashes only
 * files whose stat changed; a throwaway copy is not written. Submodules are not entered
 * (`--ignore-submodules=dirty`: a gitlink whose commit moved still counts).
 */
export async function worktreeChanges(worktree: string, index: string, kept = true): Promise<WorktreeChanges> {
  const out = await gitOk(worktree, [...settings(kept), 'status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all', '--no-renames', '--ignore-submodules=dirty'], {
    GIT_INDEX_FILE: index,
    GIT_OPTIONAL_LOCKS: kept ? '1' : '0',
  });
  return parseStatus(out);
}

/** Reads `status --porcelain=v2 -z --branch` output (exported for its table test). */
export function parseStatus(out: string): WorktreeChanges {
  const records = out.split('\0');
  const update: string[] = [];
  let head: string | null = null;
  let entries = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as string;
    if (r.startsWith('# branch.oid ')) {
      const oid = r.slice('# branch.oid '.length);
      head = /^[0-9a-f]+$/.test(oid) ? oid : null;
      continue;
    }
    const kind = r[0];
    if (kind === '?') {
      entries++;
      // A nested repository is shown as its folder; git adds it by its name, as a gitlink.
      update.push(r.slice(2).replace(/\/$/, ''));
    } else if (kind === '1' || kind === 'u') {
      entries++;
      const path = field(r, kind === '1' ? 8 : 10);
      // Ordinary entry: only the work-tree side (second letter) needs the index to change. Unmerged: always.
      if (kind === 'u' || r[3] !== '.') update.push(path);
    } else if (kind === '2') {
      // Renames are off, but should a copy or rename ever show, both of its paths are taken again.
      entries++;
      update.push(field(r, 9), records[++i] as string);
    }
  }
  return { update, clean: entries === 0, head };
}

/** The rest of a record after its first `n` space-separated fields: the path, which may itself hold spaces. */
function field(record: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) at = record.indexOf(' ', at) + 1;
  return record.slice(at);
}

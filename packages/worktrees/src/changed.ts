import { gitOk } from './git.js';

export interface ChangedFile {
  path: string;
  /** `added`, `modified` (content or mode), `deleted`, or `type-changed`. */
  change: 'added' | 'modified' | 'deleted' | 'type-changed';
}

const changes: Record<string, ChangedFile['change']> = { A: 'added', M: 'modified', D: 'deleted', T: 'type-changed' };

/** Answers already read, by folder and `<base> <commit>` when both are object ids: the difference of two objects never changes. */
const known = new Map<string, readonly ChangedFile[]>();
const knownMax = 256;
const objectId = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Files that differ between `base` and `commit` (e.g. a snapshot): what a stream did, as git sees it. Renames
 * are shown as a deletion and an addition, so every path a stream touched is named. Asked again for the same two
 * object ids (a stream reconciled again with nothing new), the answer is the one already read, without a spawn.
 */
export async function changedFiles(cwd: string, base: string, commit: string): Promise<ChangedFile[]> {
  if (base === commit) return [];
  const key = objectId.test(base) && objectId.test(commit) ? `${cwd}\0${base} ${commit}` : null;
  const hit = key ? known.get(key) : undefined;
  if (hit) return hit.map((f) => ({ ...f }));
  const files = await readChanged(cwd, base, commit);
  if (key) {
    if (known.size >= knownMax) known.delete(known.keys().next().value as string);
    known.set(key, files.map((f) => ({ ...f })));
  }
  return files;
}

async function readChanged(cwd: string, base: string, commit: string): Promise<ChangedFile[]> {
  const out = await gitOk(cwd, ['diff-tree', '-r', '-z', '--no-renames', '--name-status', base, commit]);
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i] as string;
    const file = parts[i + 1] as string;
    if (!code || !file) continue;
    files.push({ path: file, change: changes[code[0] as string] ?? 'modified' });
  }
  return files;
}

import { gitOk } from './git.js';

export interface ChangedFile {
  path: string;
  /** `added`, `modified` (content or mode), `deleted`, or `type-changed`. */
  change: 'added' | 'modified' | 'deleted' | 'type-changed';
}

const changes: Record<string, ChangedFile['change']> = { A: 'added', M: 'modified', D: 'deleted', T: 'type-changed' };

/**
 * Files that differ between `base` and `commit` (e.g. a snapshot): what a stream did, as git sees it. Renames
 * are shown as a deletion and an addition, so every path a stream touched is named.
 */
export async function changedFiles(cwd: string, base: string, commit: string): Promise<ChangedFile[]> {
  if (base === commit) return [];
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

import { readFile } from 'node:fs/promises';
import path from 'node:path';

// Reading what git keeps in files, without a spawn, where a spawn would be the slow part: a worktree's git
// folder, its common folder, and loose refs. Anything these cannot read for sure (a packed ref, a garbled file)
// is null, and the caller asks git.

const objectId = /^[0-9a-f]{40,64}$/;

/** The worktree's git folder: `.git` itself, or where a linked worktree's `.git` file points. */
export async function gitDirOf(worktree: string): Promise<string> {
  const dotGit = path.join(worktree, '.git');
  const text = await readFile(dotGit, 'utf8').catch(() => null);
  const m = text ? /^gitdir: (.+)$/m.exec(text) : null;
  return m ? path.resolve(worktree, (m[1] as string).trim()) : dotGit;
}

/** The repository's common folder as a git folder names it (`commondir`), else that folder itself. */
export async function commonDirOf(gitDir: string): Promise<string> {
  return readFile(path.join(gitDir, 'commondir'), 'utf8').then(
    (c) => path.resolve(gitDir, c.trim()),
    () => gitDir,
  );
}

/** A well-formed `refs/…` name: no empty, `.` or `..` part (so it stays inside the common folder). */
export function isPlainRef(ref: string): boolean {
  return ref.startsWith('refs/') && !ref.split('/').some((p) => p === '' || p === '.' || p === '..');
}

/** The commit a loose ref file holds in the common folder, or null when it is not one (absent, packed, garbled). */
export async function readLooseRef(common: string, ref: string): Promise<string | null> {
  if (!isPlainRef(ref)) return null;
  const text = ((await readFile(path.join(common, ref), 'utf8').catch(() => null)) ?? '').trim();
  return objectId.test(text) ? text : null;
}

export const isObjectId = (v: unknown): v is string => typeof v === 'string' && objectId.test(v);

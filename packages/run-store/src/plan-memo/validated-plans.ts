import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from '../trust/state-dir.js';

/**
 * Which `plan.json` contents this user's godmode has already validated: a memo of a pure function (the plan
 * schema of one protocol revision, applied to exact bytes), so a command that only reads a run (`status`, `ls`,
 * `watch`) does not build and run the whole plan schema on every start (≈ 20 ms of `orchestra status`).
 *
 * Keyed by the SHA-256 of the file's bytes and by the protocol's revision (a hash of its source, fixed when it
 * is built): one changed byte, or another godmode, validates again. The memo lives in the user's state folder
 * (`stateDir`), never in the run folder, so a run's author cannot mark their own file as validated. A memo
 * that cannot be read or written only costs a validation.
 */
export interface PlanMemoOptions {
  /** The protocol revision; undefined (running from source) turns the memo off. */
  revision: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function planDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function memoDir(options: PlanMemoOptions): string | undefined {
  if (options.revision === undefined || !/^[0-9a-f]{8,64}$/.test(options.revision)) return undefined;
  return path.join(stateDir(options.env ?? process.env), 'validated-plans', options.revision);
}

/** True when these exact bytes were validated under this revision before. */
export async function wasValidated(digest: string, options: PlanMemoOptions): Promise<boolean> {
  const dir = memoDir(options);
  if (dir === undefined) return false;
  try {
    return (await stat(path.join(dir, digest))).isFile();
  } catch {
    return false;
  }
}

/** Records that these bytes validated; the first record of a revision removes the memos of every other one. */
export async function rememberValidated(digest: string, options: PlanMemoOptions): Promise<void> {
  const dir = memoDir(options);
  if (dir === undefined) return;
  try {
    const root = path.dirname(dir);
    const fresh = await stat(dir).then(() => false, () => true);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(dir, digest), '', { mode: 0o600 });
    if (fresh) {
      for (const other of await readdir(root)) {
        if (other !== options.revision) await rm(path.join(root, other), { recursive: true, force: true });
      }
    }
  } catch {
    // A memo not written is a validation next time, nothing worse.
  }
}

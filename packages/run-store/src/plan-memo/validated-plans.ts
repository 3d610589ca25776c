import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from '../trust/state-dir.js';

/**
 * Which `plan.json` contents this user's godmode has already validated: a memo of a pure function (the plan
 * schema of one protocol revision, applied to exact bytes), so a command that only reads a run (`status`, `ls`,
 * `watch`) neither loads zod nor builds and runs the whole plan schema on every start (≈ 20 ms of `orchestra
 * status`, and zod's loading besides).
 *
 * One memo file per `plan.json` path, holding the exact bytes that validated, under the protocol's revision (a
 * hash of its source, fixed when it is built): a memo counts only when the file's bytes are those bytes, so one
 * changed byte, or another godmode, validates again. Comparing the bytes needs no hash, so reading a run loads
 * no `node:crypto` either (≈ 8 ms). The memo lives in the user's state folder (`stateDir`), never in the run
 * folder, so a run's author cannot mark their own file as validated. A memo that cannot be read or written only
 * costs a validation.
 */
export interface PlanMemoOptions {
  /** The protocol revision; undefined (running from source) turns the memo off. */
  revision: string | undefined;
  env?: NodeJS.ProcessEnv;
}

function memoDir(options: PlanMemoOptions): string | undefined {
  if (options.revision === undefined || !/^[0-9a-f]{8,64}$/.test(options.revision)) return undefined;
  return path.join(stateDir(options.env ?? process.env), 'validated-plans', options.revision);
}

/** The memo file's name for a `plan.json` path: two 32-bit FNV-1a hashes of it (a name clash only costs a validation). */
function memoName(file: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < file.length; i++) {
    const c = file.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** True when these exact bytes of `file` were validated under this revision before. */
export async function wasValidated(file: string, bytes: Buffer, options: PlanMemoOptions): Promise<boolean> {
  const dir = memoDir(options);
  if (dir === undefined) return false;
  try {
    return readFileSync(path.join(dir, memoName(path.resolve(file)))).equals(bytes);
  } catch {
    return false;
  }
}

/** Records that these bytes of `file` validated; the first record of a revision removes the memos of every other one. */
export async function rememberValidated(file: string, bytes: Buffer, options: PlanMemoOptions): Promise<void> {
  const dir = memoDir(options);
  if (dir === undefined) return;
  try {
    const root = path.dirname(dir);
    const fresh = await stat(dir).then(() => false, () => true);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Written whole before it is named: a reader never compares against half a memo.
    const name = path.join(dir, memoName(path.resolve(file)));
    const temp = `${name}.${process.pid}.tmp`;
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, name);
    if (fresh) {
      for (const other of await readdir(root)) {
        if (other !== options.revision) await rm(path.join(root, other), { recursive: true, force: true });
      }
    }
  } catch {
    // A memo not written is a validation next time, nothing worse.
  }
}

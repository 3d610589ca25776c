import { nodeCrypto } from '../lazy-crypto.js';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../atomic-write.js';
import { runLayout } from '../layout.js';
import { stateDir } from './state-dir.js';

/**
 * Which run folders may have their plan's commands run here (`test`, `lint`, `typecheck`, stream checks).
 *
 * A run folder is data: a cloned repository can carry a crafted `.godmode/runs/<id>/plan.json` whose `test`
 * is any shell command. So commands run only for a run this machine created or conducted, or one a person
 * trusted with `--trust`. The record lives outside the run folder (the user's state folder, see `stateDir`),
 * one file per run, keyed by the run folder's real path, and holds the hash of its `plan.json`: a plan
 * swapped after the fact is not trusted. One file per run, written atomically: no lock, no lost update.
 */
export interface TrustOptions {
  env?: NodeJS.ProcessEnv;
}

interface TrustRecord {
  version: 1;
  runDir: string;
  planSha256: string;
  trustedAt: string;
}

async function planHash(runDir: string): Promise<string> {
  return nodeCrypto().createHash('sha256').update(await readFile(runLayout(runDir).planFile)).digest('hex');
}

function recordFile(realDir: string, env: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), 'trusted-runs', `${nodeCrypto().createHash('sha256').update(realDir).digest('hex').slice(0, 32)}.json`);
}

/** Records that this machine created, conducted or was told to trust the run (its plan.json as it is now). */
export async function trustRun(runDir: string, options: TrustOptions = {}): Promise<void> {
  const real = await realpath(runDir);
  const record: TrustRecord = { version: 1, runDir: real, planSha256: await planHash(real), trustedAt: new Date().toISOString() };
  await writeJsonAtomic(recordFile(real, options.env ?? process.env), record);
}

/** True when the run was trusted here (`trustRun`) and its plan.json is still the one that was trusted. */
export async function isTrusted(runDir: string, options: TrustOptions = {}): Promise<boolean> {
  try {
    const real = await realpath(runDir);
    const record = JSON.parse(await readFile(recordFile(real, options.env ?? process.env), 'utf8')) as Partial<TrustRecord>;
    return record.runDir === real && record.planSha256 === (await planHash(real));
  } catch {
    return false;
  }
}

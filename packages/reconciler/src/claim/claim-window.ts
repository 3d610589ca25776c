import { lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where `retireClaim` records when attempt `n` of a stream started (next to the stream's `result.json`). */
export function claimWindowFile(streamDir: string, attempt: number): string {
  return path.join(streamDir, 'attempts', String(attempt), 'claim-window.json');
}

/** A claim older than its attempt's start by more than this is stale (covers filesystems with coarse mtimes). */
export const claimClockSlackMs = 2_000;

/**
 * A claim belongs to the attempt that wrote it. Call when attempt `attempt` of a stream starts, before its
 * worker is spawned: the `result.json` left by an earlier attempt (or planted before the first) is moved
 * aside to `attempts/<attempt - 1>/result.json` (`attempts/0/` before the first attempt; a numbered suffix
 * if that name is taken), never deleted, and the attempt's start is recorded in `attempts/<attempt>/
 * claim-window.json`, which `reconcile({ attempt })` reads to ignore any claim older than the attempt.
 */
export async function retireClaim(streamDir: string, attempt: number, now: () => number = Date.now): Promise<{ retired: string | null; since: number }> {
  const since = now();
  const window = claimWindowFile(streamDir, attempt);
  await mkdir(path.dirname(window), { recursive: true });
  const tmp = `${window}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ attempt, startedAt: new Date(since).toISOString(), startedAtMs: since }) + '\n');
  await rename(tmp, window);
  const claim = path.join(streamDir, 'result.json');
  const st = await lstat(claim).catch(() => null);
  if (st === null) return { retired: null, since };
  const folder = path.join(streamDir, 'attempts', String(Math.max(attempt - 1, 0)));
  await mkdir(folder, { recursive: true });
  let target = path.join(folder, 'result.json');
  for (let i = 1; await lstat(target).then(() => true, () => false); i++) target = path.join(folder, `result.${i}.json`);
  await rename(claim, target);
  return { retired: target, since };
}

/** The start (ms since the epoch) recorded for attempt `attempt`, or null when none was recorded. */
export async function readClaimWindow(streamDir: string, attempt: number): Promise<number | null> {
  try {
    const value = JSON.parse(await readFile(claimWindowFile(streamDir, attempt), 'utf8')) as { startedAtMs?: unknown };
    return typeof value.startedAtMs === 'number' && Number.isFinite(value.startedAtMs) ? value.startedAtMs : null;
  } catch {
    return null;
  }
}

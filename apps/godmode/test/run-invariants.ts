import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ensureBuilt, godmode, journalOf, killAll, ndjson, processesOfRun, quickPlan } from './helpers.js';

// What every run must keep, however many conductors it had: shared by the conductor's test files.

export function verdictsOf(runDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of journalOf(runDir)) if (e.kind === 'stream.reconciled') out[e.payload.stream] = e.payload.status;
  return out;
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function lease(runDir: string): { pid: number; token: number; released?: boolean } | null {
  try {
    return JSON.parse(readFileSync(join(runDir, 'lease.json'), 'utf8'));
  } catch {
    return null;
  }
}

export const finished = (runDir: string) => journalOf(runDir).some((e) => e.kind === 'run.finished');

/** Every invariant a run must keep, however many conductors it had. */
export function expectHealthyJournal(runDir: string): void {
  const entries = journalOf(runDir);
  entries.forEach((e, i) => expect(e.seq).toBe(i + 1));
  const shippedAt = new Map<string, number>();
  for (const e of entries) {
    if (e.kind === 'stream.reconciled' && e.payload.status === 'shipped' && !shippedAt.has(e.payload.stream)) shippedAt.set(e.payload.stream, e.seq);
    if (e.kind === 'stream.spawned') {
      const shipped = shippedAt.get(e.payload.stream);
      expect(shipped === undefined || e.seq < shipped, `stream ${e.payload.stream} spawned again after it shipped (seq ${e.seq})`).toBe(true);
    }
  }
  // Tokens never go down along the journal: a stale conductor's write was refused.
  let token = 0;
  for (const e of entries) {
    if (typeof e.token !== 'number') continue;
    expect(e.token, `entry ${e.seq} carries token ${e.token} after token ${token}`).toBeGreaterThanOrEqual(token);
    token = e.token;
  }
}


/**
 * For a test file whose runs have detached conductors: builds the CLI first, kills whatever is left of those runs
 * after all, and returns the starter — the quick plan with a detached conductor in `project`, its run folder.
 */
export function detachedRuns(): (project: string) => Promise<string> {
  const started: string[] = [];
  beforeAll(() => ensureBuilt(), 300_000);
  afterAll(() => {
    for (const dir of started) killAll(processesOfRun(dir));
  });
  return async (project) => {
    const r = await godmode(['orchestra', 'run', quickPlan, '--detach', '--json', '--cwd', project]);
    expect(r.code).toBe(0);
    const runDir = ndjson(r.stdout).find((e) => e.type === 'detached')?.runDir as string;
    started.push(runDir);
    return runDir;
  };
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { JournalEntry, Plan, Verdict } from '@godmode/protocol';
import { journalKinds, planStreams } from '@godmode/protocol';
import { openRun } from '@godmode/run-store';
import { CANARY_RECORD_FILE } from '../canaries/plant-canaries.js';
import { verdictOf } from '../journal/worker-records.js';

export interface LoadedRun {
  runDir: string;
  runId: string;
  plan: Plan;
  planDir: string;
  journal: JournalEntry[];
  verdicts: Verdict[];
  mergedTree: string | null;
  canaries: string[];
  /** What could not be read, said plainly (a corrupt verdict, a corrupt journal line). */
  warnings: string[];
}

/** Where the merger left the integration tree: named by `merge.finished`, else `<run>/merged`. */
export function findMergedTree(runDir: string, journal: readonly JournalEntry[]): string | null {
  for (let i = journal.length - 1; i >= 0; i--) {
    const entry = journal[i]!;
    if (entry.kind !== journalKinds.mergeFinished) continue;
    const p = (entry.payload ?? {}) as Record<string, unknown>;
    for (const key of ['tree', 'dir', 'into', 'path', 'mergedTree']) {
      const value = p[key];
      if (typeof value === 'string' && value !== '') {
        const dir = isAbsolute(value) ? value : resolve(runDir, value);
        if (isDir(dir)) return dir;
      }
    }
  }
  const fallback = join(runDir, 'merged');
  return isDir(fallback) ? fallback : null;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The canaries the conductor planted, from `canaries.json` (`{ "values": [...] }` or a bare array). */
export function readPlantedCanaries(runDir: string): string[] {
  const file = join(runDir, CANARY_RECORD_FILE);
  if (!existsSync(file)) return [];
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const list = Array.isArray(value) ? value : (value as { values?: unknown }).values;
    return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
  } catch {
    return [];
  }
}

/**
 * Everything the scorer grades, read from a run directory: the plan, the replayed journal, each
 * stream's `verdict.json` (falling back to the last journaled verdict when the file is missing). Never
 * `result.json`.
 */
export async function loadRun(runDir: string): Promise<LoadedRun> {
  const store = await openRun(runDir);
  const { plan, planDir } = await store.readPlan();
  const { entries, corrupt } = await store.journal.read();
  const warnings = corrupt.map((c) => `journal line ${c.line} is corrupt and was skipped: ${c.error}`);
  const verdicts: Verdict[] = [];
  for (const { stream } of planStreams(plan)) {
    let verdict: Verdict | null = null;
    try {
      verdict = await store.readVerdict(stream.id);
    } catch (error) {
      warnings.push(`${stream.id}: verdict.json unreadable (${(error as Error).message}); using the journal's last verdict`);
    }
    if (!verdict) {
      for (let i = entries.length - 1; i >= 0 && !verdict; i--) {
        const e = entries[i]!;
        if (e.kind === journalKinds.streamReconciled) {
          const v = verdictOf(e.payload);
          if (v?.stream === stream.id) verdict = v;
        }
      }
    }
    if (verdict) verdicts.push(verdict);
  }
  return {
    runDir: store.dir,
    runId: store.id,
    plan,
    planDir,
    journal: entries,
    verdicts,
    mergedTree: findMergedTree(store.dir, entries),
    canaries: readPlantedCanaries(store.dir),
    warnings,
  };
}

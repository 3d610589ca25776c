import { statSync } from 'node:fs';
import path from 'node:path';

/** Where everything of a run lives. Pure: builds paths, touches nothing. */
export interface RunLayout {
  runDir: string;
  planFile: string;
  journalFile: string;
  /** Held for the few microseconds of one journal write, so that two processes never hand out the same seq. */
  journalLock: string;
  leaseFile: string;
  /** One file per fencing token ever issued (`<token>.json`), created exclusively: the lease's history and its arbiter. */
  leasesDir: string;
  scorecardFile: string;
  receiptMd: string;
  receiptHtml: string;
  conductorLog: string;
  streamsDir: string;
  streamDir(id: string): string;
  workDir(id: string): string;
  attemptsDir(id: string): string;
  attemptDir(id: string, n: number): string;
  resultFile(id: string): string;
  verdictFile(id: string): string;
}

export function runLayout(runDir: string): RunLayout {
  const dir = path.resolve(runDir);
  const at = (...parts: string[]) => path.join(dir, ...parts);
  const streamDir = (id: string) => at('streams', id);
  return {
    runDir: dir,
    planFile: at('plan.json'),
    journalFile: at('journal.jsonl'),
    journalLock: at('journal.lock'),
    leaseFile: at('lease.json'),
    leasesDir: at('leases'),
    scorecardFile: at('scorecard.json'),
    receiptMd: at('receipt.md'),
    receiptHtml: at('receipt.html'),
    conductorLog: at('conductor.log'),
    streamsDir: at('streams'),
    streamDir,
    workDir: (id) => path.join(streamDir(id), 'work'),
    attemptsDir: (id) => path.join(streamDir(id), 'attempts'),
    attemptDir: (id, n) => path.join(streamDir(id), 'attempts', String(n)),
    resultFile: (id) => path.join(streamDir(id), 'result.json'),
    verdictFile: (id) => path.join(streamDir(id), 'verdict.json'),
  };
}

/**
 * Where a project's runs live: `.godmode/runs` in the first folder from `cwd` upwards that has a `.godmode/`
 * (as git finds `.git`), else in `cwd` itself. The one function here that looks at the disk (a stat a level).
 */
export function runsRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (statSync(path.join(dir, '.godmode'), { throwIfNoEntry: false })?.isDirectory()) return path.join(dir, '.godmode', 'runs');
    if (path.dirname(dir) === dir) return path.resolve(cwd, '.godmode', 'runs');
  }
}

/**
 * `relPath` resolved inside `runDir`, or null when it is absolute or climbs out of it.
 * Lexical on purpose: the store creates every folder inside the run itself, so no symlink points out.
 */
export function insideRun(runDir: string, relPath: string): string | null {
  if (relPath === '' || path.isAbsolute(relPath) || relPath.includes('\0')) return null;
  const full = path.resolve(runDir, relPath);
  const rel = path.relative(runDir, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return full;
}

import { loadRun, type LoadedRun } from './run-files/load-run.js';
import { writeRunJson } from './run-files/run-files.js';
import { writeReceipts } from './receipt/write-receipts.js';
import { scoreRun, type RunScorecard, type ScoreRunInput } from './score-run.js';

export interface ScoreRunDirOptions {
  runTests?: boolean;
  /** Overrides where the merged tree is (default: named by `merge.finished`, else `<run>/merged`). */
  mergedTree?: string | null;
  extraScanDirs?: string[];
  /** Also write `receipt.md` and `receipt.html` (default true). */
  receipts?: boolean;
}

/**
 * Recomputes a run's scorecard from its directory alone and writes `scorecard.json` (and the receipts).
 * What `godmode orchestra score` does; also what a conductor can call at the end of a run.
 */
export async function scoreRunDir(
  runDir: string,
  options: ScoreRunDirOptions = {},
): Promise<{ run: LoadedRun; scorecard: RunScorecard; files: { scorecard: string; md: string | null; html: string | null } }> {
  const run = await loadRun(runDir);
  const input: ScoreRunInput = {
    runDir: run.runDir,
    plan: run.plan,
    planDir: run.planDir,
    verdicts: run.verdicts,
    journal: run.journal,
    mergedTree: options.mergedTree !== undefined ? options.mergedTree : run.mergedTree,
    canaries: run.canaries,
    ...(options.runTests !== undefined ? { runTests: options.runTests } : {}),
    ...(options.extraScanDirs ? { extraScanDirs: options.extraScanDirs } : {}),
  };
  const scorecard = await scoreRun(input);
  const scorecardFile = await writeRunJson(run.runDir, 'scorecard.json', scorecard);
  let md: string | null = null;
  let html: string | null = null;
  if (options.receipts !== false) {
    ({ md, html } = await writeReceipts({ runDir: run.runDir, scorecard, plan: run.plan, verdicts: run.verdicts, journal: run.journal }));
  }
  return { run, scorecard, files: { scorecard: scorecardFile, md, html } };
}

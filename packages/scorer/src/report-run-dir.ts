import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scorecardSchema } from '@godmode/protocol';
import { loadRun } from './run-files/load-run.js';
import { buildReceiptModel } from './receipt/receipt-model.js';
import { renderReceiptMarkdownFromModel } from './receipt/render-markdown.js';
import { writeReceipts } from './receipt/write-receipts.js';
import { scoreRunDir } from './score-run-dir.js';
import type { RunScorecard } from './score-run.js';

/** The run's `scorecard.json` when it is a full scorer card; null when absent, invalid, or from an older scorer. */
export function readScorecard(runDir: string): RunScorecard | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(runDir, 'scorecard.json'), 'utf8'));
  } catch {
    return null;
  }
  if (!scorecardSchema.safeParse(value).success) return null;
  const card = value as Partial<RunScorecard>;
  return card.game && Array.isArray(card.game.awards) && Array.isArray(card.workers) && card.checks !== undefined ? (value as RunScorecard) : null;
}

/**
 * The receipts of a run, rewritten from its `scorecard.json` and journal; the run is scored first when it
 * has no usable scorecard (or `rescore` is set). What `godmode orchestra report` does.
 */
export async function reportRunDir(
  runDir: string,
  options: { rescore?: boolean; runTests?: boolean } = {},
): Promise<{ scorecard: RunScorecard; rescored: boolean; markdown: string; files: { scorecard: string; md: string; html: string } }> {
  const existing = options.rescore ? null : readScorecard(runDir);
  if (!existing) {
    const scored = await scoreRunDir(runDir, options.runTests !== undefined ? { runTests: options.runTests } : {});
    const model = buildReceiptModel({ runDir: scored.run.runDir, scorecard: scored.scorecard, plan: scored.run.plan, verdicts: scored.run.verdicts, journal: scored.run.journal });
    return {
      scorecard: scored.scorecard,
      rescored: true,
      markdown: renderReceiptMarkdownFromModel(model),
      files: { scorecard: scored.files.scorecard, md: scored.files.md!, html: scored.files.html! },
    };
  }
  const run = await loadRun(runDir);
  const input = { runDir: run.runDir, scorecard: existing, plan: run.plan, verdicts: run.verdicts, journal: run.journal };
  const files = await writeReceipts(input);
  return { scorecard: existing, rescored: false, markdown: renderReceiptMarkdownFromModel(buildReceiptModel(input)), files: { scorecard: join(run.runDir, 'scorecard.json'), ...files } };
}

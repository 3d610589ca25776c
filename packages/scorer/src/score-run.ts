import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import type { DimensionName, DimensionScore, Finding, JournalEntry, Plan, Scorecard, Verdict } from '@godmode/protocol';
import { dimensionNames, planStreams } from '@godmode/protocol';
import { leakNeedles, scanRunForLeaks } from './canaries/leak-scan.js';
import { CANARY_RECORD_FILE } from './canaries/plant-canaries.js';
import { runCheck } from './correctness/run-check.js';
import { costTable, type CostRow } from './cost/cost-table.js';
import { scoreCompleteness } from './dimensions/completeness.js';
import { checkReport, scoreCorrectness, type CheckReport } from './dimensions/correctness.js';
import { scoreDocumentation } from './dimensions/documentation.js';
import { scorePolish, type CanaryReport } from './dimensions/polish.js';
import { scoreSecurity, sortFindings } from './dimensions/security.js';
import { DIMENSION_WEIGHTS, overallScore } from './dimensions/weights.js';
import { readReadme } from './documentation/readme.js';
import { longestCombo } from './game/game-rules.js';
import { playGame, type Award } from './game/play-game.js';
import { latestVerdicts, readJournal, type WorkerOutcome } from './journal/worker-records.js';
import { writeRunText } from './run-files/run-files.js';
import { readAccountTokens } from './security/account-token.js';
import { checkRowLevelSecurity, DEFAULT_EXPOSED_SCHEMAS } from './security/rls-check.js';
import { scanTree, type TreeScan } from './tree/scan-tree.js';

/** Files the scorer itself writes into a run: never graded, so that scoring twice gives the same card. */
export const SCORER_OUTPUTS = ['scorecard.json', 'receipt.md', 'receipt.html', CANARY_RECORD_FILE];
/** Folder of the run where the scorer keeps the output of the commands it ran. */
export const SCORE_DIR = 'score';

export interface ScoreRunInput {
  runDir: string;
  plan: Plan;
  planDir: string;
  /** The reconciler's verdicts (`verdict.json` files). */
  verdicts: Verdict[];
  /** The replayed journal. */
  journal: JournalEntry[];
  /** Where the plan's test, lint and typecheck commands run; null leaves correctness unmeasured. */
  mergedTree: string | null;
  /** Canary values the conductor planted. */
  canaries?: string[];
  /**
   * The godmode account token(s) the leak scan looks for (reported redacted, as CRITICAL findings).
   * Default: the ones configured on this machine (`readAccountTokens`: GODMODE_TOKEN, the credentials
   * file); pass `[]` to look for none, or the keyring's token from @godmode/auth's TokenStore.
   */
  accountTokens?: string[];
  /** Run the plan's test, lint and typecheck commands (default true). */
  runTests?: boolean;
  /** More environment for those commands: the conductor's check marks, so a taker can end them if it dies. */
  checkEnv?: Record<string, string>;
  /** More folders to scan for canaries, e.g. a telemetry outbox outside the run. */
  extraScanDirs?: string[];
  /** Schemas whose tables must have row level security (default: `public`). */
  exposedSchemas?: readonly string[];
  /** Parse at most this many source files for the documentation score (an even sample beyond). */
  maxSourceFiles?: number;
}

export interface RunScorecard extends Scorecard {
  game: NonNullable<Scorecard['game']> & { nextLevelAt: number | null; byPhase: Record<string, number>; awards: Award[] };
  costs: CostRow[];
  canaries: CanaryReport | null;
  checks: { test: CheckReport | null; lint: CheckReport | null; typecheck: CheckReport | null };
  mergedTree: string | null;
  workers: Array<{ stream: string; phase: string; attempt: number; outcome: WorkerOutcome; points: number }>;
  /** How long scoring took, without the commands it ran. */
  scoringMs: number;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const rel = (from: string, to: string) => relative(from, to).split(sep).join('/');

/** Environment variable naming a file where a test command may write a machine-readable report. */
export const TEST_REPORT_ENV = 'GODMODE_TEST_REPORT';

async function runPlanCheck(
  name: CheckReport['name'],
  check: { command: string; timeoutMs: number } | undefined,
  input: ScoreRunInput,
): Promise<CheckReport | null> {
  if (!check || !input.mergedTree) return null;
  // A runner may write its report to a file (`vitest --reporter=json --outputFile=$GODMODE_TEST_REPORT`);
  // it goes to a private temp folder, and into the run only through the run store.
  const reportDir = mkdtempSync(join(tmpdir(), 'godmode-check-'));
  const reportFile = join(reportDir, 'report');
  try {
    const run = await runCheck({ command: check.command, cwd: input.mergedTree, timeoutMs: check.timeoutMs, env: { ...input.checkEnv, [TEST_REPORT_ENV]: reportFile } });
    const outputFile = `${SCORE_DIR}/${name}.log`;
    const header = `$ ${run.command}\n# cwd: ${run.cwd}\n# exit: ${run.exitCode ?? run.signal}${run.timedOut ? ' (timed out)' : ''} in ${run.durationMs} ms\n\n`;
    await writeRunText(input.runDir, outputFile, header + run.output);
    const report = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : null;
    if (report !== null) await writeRunText(input.runDir, `${SCORE_DIR}/${name}-report.txt`, report);
    return checkReport(name, run, outputFile, report);
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

const isScorerOutput = (path: string) => SCORER_OUTPUTS.includes(path) || path === SCORE_DIR || path.startsWith(`${SCORE_DIR}/`);

/**
 * Grades a run from the disk and the journal alone: the reconciler's verdicts, the merged tree, the
 * files of the run, and the commands of the plan run afresh. Never reads a worker's `result.json`.
 */
export async function scoreRun(given: ScoreRunInput): Promise<RunScorecard> {
  const started = performance.now();
  // A merged tree that is not there (nothing was merged, or the merge failed) is no tree: nothing to read,
  // rather than an empty tree that would score "no README".
  const missingTree = given.mergedTree !== null && !isDirectory(given.mergedTree) ? given.mergedTree : null;
  const input: ScoreRunInput = missingTree === null ? given : { ...given, mergedTree: null };
  let commandsMs = 0;
  const canaries = [...new Set(input.canaries ?? [])];
  const accountTokens = [...new Set(input.accountTokens ?? readAccountTokens())].filter((t) => !canaries.includes(t));
  const needles = leakNeedles(canaries, accountTokens);
  const reading = readJournal(input.plan, input.journal, input.verdicts);
  const dimensions: Partial<Record<DimensionName, DimensionScore>> = {};
  dimensions.completeness = scoreCompleteness(input.plan, input.verdicts);

  // Static reads first: the commands below may write into the tree (coverage, caches).
  let merged: TreeScan | null = null;
  let findings: Finding[] = [];
  let rlsTables = 0;
  if (input.mergedTree) {
    // Every file of the merged tree, whatever its name: a deliverable called .godmode-secrets.json is one.
    merged = await scanTree(input.mergedTree, {
      canaries: needles,
      ...(input.maxSourceFiles !== undefined ? { maxSourceFiles: input.maxSourceFiles } : {}),
    });
    const rls = checkRowLevelSecurity(merged.migrations, input.exposedSchemas ?? DEFAULT_EXPOSED_SCHEMAS);
    rlsTables = rls.tables.length;
    findings = [...merged.secrets, ...rls.findings];
    dimensions.documentation = scoreDocumentation(readReadme(input.mergedTree, merged.files), merged);
  }
  // The leak scan: every log and artifact of the run, whole (canaries → polish, the account token → security).
  const leakScan =
    needles.length > 0
      ? await scanRunForLeaks({ runDir: input.runDir, mergedTree: input.mergedTree, mergedScan: merged, canaries, accountTokens, scorerOutput: isScorerOutput, extraScanDirs: input.extraScanDirs ?? [] })
      : null;
  const canaryReport: CanaryReport | null =
    leakScan && canaries.length > 0
      ? { planted: canaries.length, leaked: new Set(leakScan.leaks.map((l) => l.canary)).size, leaks: leakScan.leaks, filesScanned: leakScan.filesScanned }
      : null;
  findings = sortFindings([...findings, ...(leakScan?.accountLeaks ?? [])]);
  if (merged) {
    dimensions.security = scoreSecurity(findings, { files: merged.files.length, migrations: merged.migrations.length, tables: rlsTables });
  } else {
    const reason = missingTree !== null ? `the merged tree ${missingTree} does not exist (nothing was merged)` : 'no merged tree to read (nothing was merged)';
    dimensions.documentation = { measured: false, reason };
    dimensions.security = { measured: false, reason };
  }

  const runCommands = input.runTests !== false;
  const notRun = (name: string) =>
    !input.mergedTree ? `${name} not run: no merged tree${missingTree !== null ? ` (${missingTree} does not exist)` : ''}` : !runCommands ? `${name} not run (runTests: false)` : `the plan configures no ${name} command`;
  const checksStarted = performance.now();
  const test = runCommands ? await runPlanCheck('test', input.plan.test, input) : null;
  const lint = runCommands ? await runPlanCheck('lint', input.plan.lint, input) : null;
  const typecheck = runCommands ? await runPlanCheck('typecheck', input.plan.typecheck, input) : null;
  commandsMs += performance.now() - checksStarted;

  if (test) dimensions.correctness = scoreCorrectness(test);
  else if (!input.plan.test) dimensions.correctness = { measured: false, reason: 'the plan configures no test command, so nothing shows the build works (a run with no tests is not "correct")' };
  else dimensions.correctness = { measured: false, reason: notRun('test') };

  const polishNotes: string[] = [];
  if (input.plan.lint && !lint) polishNotes.push(notRun('lint'));
  if (input.plan.typecheck && !typecheck) polishNotes.push(notRun('typecheck'));
  if (!input.plan.lint && !input.plan.typecheck) polishNotes.push('the plan configures no lint or typecheck command');
  dimensions.polish = scorePolish(canaryReport, { lint, typecheck }, polishNotes);

  // The game reads verdicts (outcomes) and journaled signals only.
  const finalStatus = new Map<string, WorkerOutcome | null>();
  for (const { stream } of planStreams(input.plan)) finalStatus.set(stream.id, null);
  const latest = latestVerdicts(input.verdicts);
  for (const v of latest.values()) finalStatus.set(v.stream, v.status);
  const game = playGame({
    workers: reading.workers,
    phases: input.plan.phases.map((p) => ({ id: p.id, streams: p.streams.map((s) => s.id) })),
    finalStatus,
    longestCombo: longestCombo(reading.workers),
    canaries: canaryReport ? { planted: canaryReport.planted, leaked: canaryReport.leaked } : null,
    findings,
  });
  const phasePoints = Object.values(game.byPhase).reduce((s, p) => s + p, 0);
  const costs = costTable(input.plan, reading, game.byPhase, game.points - phasePoints);

  const measured = Object.fromEntries(Object.entries(dimensions).map(([k, d]) => [k, d.measured ? { measured: true, score: d.score } : { measured: false }]));
  return {
    run: basename(input.runDir),
    computedAt: new Date().toISOString(),
    overall: overallScore(measured),
    weights: { ...DIMENSION_WEIGHTS },
    dimensions: Object.fromEntries(dimensionNames.map((n) => [n, dimensions[n]!])),
    unmeasured: dimensionNames.filter((n) => !dimensions[n]!.measured),
    streams: planStreams(input.plan).map(({ phase, stream }) => ({
      stream: stream.id,
      phase: phase.id,
      status: latest.get(stream.id)?.status ?? null,
      divergence: latest.get(stream.id)?.divergence ?? null,
    })),
    game: {
      points: game.points,
      level: game.level,
      longestCombo: game.longestCombo,
      achievements: game.achievements,
      nextLevelAt: game.nextLevelAt,
      byPhase: game.byPhase,
      awards: game.awards,
    },
    findings,
    costs,
    canaries: canaryReport,
    checks: { test, lint, typecheck },
    mergedTree: input.mergedTree,
    workers: reading.workers.map((w) => ({ stream: w.stream, phase: w.phase, attempt: w.attempt, outcome: w.outcome, points: game.byWorker[`${w.stream}#${w.attempt}`] ?? 0 })),
    scoringMs: Math.round(performance.now() - started - commandsMs),
  };
}

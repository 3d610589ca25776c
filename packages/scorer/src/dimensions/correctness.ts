import type { DimensionScore } from '@godmode/protocol';
import { parseTestOutput, type TestCounts } from '../correctness/parse-test-output.js';
import type { CheckRun } from '../correctness/run-check.js';

export interface CheckReport {
  name: 'test' | 'lint' | 'typecheck';
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** Where the full output is kept, relative to the run dir. */
  outputFile: string | null;
  outputTail: string;
  counts: TestCounts | null;
}

/** The check's result; a report file the command wrote (see `GODMODE_TEST_REPORT`) is preferred over its output. */
export function checkReport(name: CheckReport['name'], run: CheckRun, outputFile: string | null, reportText: string | null = null): CheckReport {
  return {
    name,
    command: run.command,
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    durationMs: run.durationMs,
    outputFile,
    outputTail: run.output.slice(-2000),
    counts: name === 'test' ? ((reportText !== null ? parseTestOutput(reportText) : null) ?? parseTestOutput(run.output)) : null,
  };
}

/**
 * passed / (passed + failed) of the plan's own test command, run by the scorer on the merged tree.
 * Skipped tests are reported but do not count either way. A suite that ran no test, timed out, or
 * failed without saying how many tests it ran scores 0: none of those shows the build works.
 */
export function scoreCorrectness(report: CheckReport): DimensionScore {
  const where = report.outputFile ? ` (output: ${report.outputFile})` : '';
  if (report.timedOut) {
    return { measured: true, score: 0, why: `\`${report.command}\` timed out after ${Math.round(report.durationMs / 1000)} s${where}`, evidence: report };
  }
  const c = report.counts;
  if (!c) {
    if (report.exitCode === 0) {
      return {
        measured: false,
        reason: `\`${report.command}\` exited 0 but its output names no test counts (use a reporter: vitest/jest JSON, JUnit XML, TAP, or a "N passed, N failed" line)${where}`,
        evidence: report,
      };
    }
    return { measured: true, score: 0, why: `\`${report.command}\` failed (exit ${report.exitCode ?? report.signal}) without reporting test counts${where}`, evidence: report };
  }
  const ran = c.passed + c.failed;
  if (ran === 0) return { measured: true, score: 0, why: `\`${report.command}\` ran no tests (${c.format})${where}`, evidence: report };
  const crashed = report.exitCode !== 0 && c.failed === 0;
  const score = crashed ? 0 : c.passed / ran;
  return {
    measured: true,
    score,
    why: crashed
      ? `${c.passed} of ${ran} tests passed but \`${report.command}\` exited ${report.exitCode ?? report.signal}: the suite did not finish cleanly${where}`
      : `${c.passed} of ${ran} tests passed${c.skipped ? `, ${c.skipped} skipped` : ''} (${c.format}, \`${report.command}\` on the merged tree)${where}`,
    evidence: report,
  };
}

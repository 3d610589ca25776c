import { parseTestOutput } from '@godmode/protocol';

/** Pass/fail counts of a check's output, or nulls when no summary is recognised. */
export interface TestCounts {
  passed: number | null;
  failed: number | null;
}

/**
 * The check's pass/fail counts, read by godmode's one test-output parser (`parseTestOutput` in
 * `@godmode/protocol`, shared with the scorer): skipped tests are neither passed nor failed.
 */
export function parseTestCounts(output: string): TestCounts {
  const counts = parseTestOutput(output);
  return counts ? { passed: counts.passed, failed: counts.failed } : { passed: null, failed: null };
}

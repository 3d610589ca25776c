export type TestOutputFormat = 'jest-json' | 'junit' | 'tap' | 'plain';

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  format: TestOutputFormat;
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** vitest's and jest's `--reporter=json` / `--json`: the same `numPassedTests…` shape. */
function parseJestJson(text: string): TestCounts | null {
  const marker = text.indexOf('"numTotalTests"');
  if (marker === -1) return null;
  // The report is one JSON object; other output may surround it, so try the nearest `{` before the
  // marker with each of the last few `}` of the text.
  const start = text.lastIndexOf('{', marker);
  if (start === -1) return null;
  let end = text.length;
  for (let tries = 0; tries < 20; tries++) {
    end = text.lastIndexOf('}', end - 1);
    if (end < marker) break;
    let report: Record<string, unknown>;
    try {
      report = JSON.parse(text.slice(start, end + 1));
    } catch {
      continue;
    }
    const n = (k: string) => (typeof report[k] === 'number' ? (report[k] as number) : 0);
    if (typeof report.numTotalTests !== 'number') return null;
    const passed = n('numPassedTests');
    const failed = n('numFailedTests');
    const skipped = n('numPendingTests') + n('numTodoTests');
    return { passed, failed, skipped, total: Math.max(n('numTotalTests'), passed + failed + skipped), format: 'jest-json' };
  }
  return null;
}

/** JUnit XML: count `<testcase>` elements (suite attributes double-count when suites nest). */
function parseJunit(text: string): TestCounts | null {
  if (!/<testsuites?\b/.test(text)) return null;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const testcase = /<testcase\b(?:[^>"']|"[^"]*"|'[^']*')*?(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of text.matchAll(testcase)) {
    const body = m[2] ?? '';
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
  if (passed + failed + skipped === 0 && !/<testsuites?\b[^>]*\btests="0"/.test(text)) return null;
  return { passed, failed, skipped, total: passed + failed + skipped, format: 'junit' };
}

/**
 * TAP. Node's reporter ends with `# pass N` / `# fail N` summary comments over the leaf tests, which are
 * preferred; otherwise the top-level `ok` / `not ok` lines are counted, with SKIP/TODO directives.
 */
function parseTap(text: string): TestCounts | null {
  const hasPoints = /^(not )?ok \d+\b/m.test(text);
  if (!hasPoints || !(/^TAP version \d+\s*$/m.test(text) || /^1\.\.\d+\s*$/m.test(text))) return null;
  const summary = (name: string) => {
    const m = new RegExp(`^# ${name} (\\d+)\\s*$`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const pass = summary('pass');
  const fail = summary('fail');
  if (pass !== null && fail !== null) {
    const skipped = (summary('skipped') ?? 0) + (summary('todo') ?? 0);
    const cancelled = summary('cancelled') ?? 0;
    const failed = fail + cancelled;
    return { passed: pass, failed, skipped, total: pass + failed + skipped, format: 'tap' };
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const m of text.matchAll(/^(not )?ok \d+\b[^\n#]*(#\s*(SKIP|TODO)\b)?/gim)) {
    if (m[3]) skipped++;
    else if (m[1]) failed++;
    else passed++;
  }
  return { passed, failed, skipped, total: passed + failed + skipped, format: 'tap' };
}

/**
 * Summary lines: vitest's `Tests  1 failed | 4 passed (5)`, jest's `Tests: 1 failed, 4 passed, 5 total`,
 * mocha's `4 passing` / `1 failing`, and godmode's own `N passed, N failed`. A line that starts with
 * `Tests` wins (vitest also prints a `Test Files` line with the same words); otherwise the last line that
 * names passed or failed counts.
 */
function parsePlain(text: string): TestCounts | null {
  const lines = text.split(/\r?\n/);
  const count = (line: string, words: string) => {
    const m = new RegExp(`(\\d+)\\s+(?:tests?\\s+)?(?:${words})\\b`, 'i').exec(line);
    return m ? Number(m[1]) : null;
  };
  const read = (line: string): TestCounts | null => {
    const passed = count(line, 'passed|passing|pass');
    const failed = count(line, 'failed|failing|fail');
    if (passed === null && failed === null) return null;
    const skipped = (count(line, 'skipped|pending') ?? 0) + (count(line, 'todo') ?? 0);
    const p = passed ?? 0;
    const f = failed ?? 0;
    return { passed: p, failed: f, skipped, total: p + f + skipped, format: 'plain' };
  };
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*Tests\b(?!\s*Files)/.test(lines[i]!)) {
      const counts = read(lines[i]!);
      if (counts) return counts;
    }
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*Test Files\b/.test(lines[i]!)) continue;
    const counts = read(lines[i]!);
    if (counts) return counts;
  }
  return null;
}

/**
 * Test counts from a runner's output, or null when the output names none. Structured formats first
 * (their counts are exact), then the human summary line.
 */
export function parseTestOutput(output: string): TestCounts | null {
  const text = output.replace(ANSI, '');
  return parseJestJson(text) ?? parseJunit(text) ?? parseTap(text) ?? parsePlain(text);
}

/**
 * The one test-output parser of godmode (the reconciler's check and the scorer's correctness both use it),
 * pinned by one table (`parse-test-output.test.ts`). Pure: text in, counts out.
 *
 * Skipped tests — skipped, pending, todo, ignored (cargo), xfail (pytest) — are counted as `skipped`,
 * never as passed or failed. Errors and cancelled tests count as failed.
 */
export type TestOutputFormat = 'jest-json' | 'junit' | 'tap' | 'node-spec' | 'go-json' | 'go' | 'cargo' | 'plain';

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  format: TestOutputFormat;
}

/** CSI and OSC escape sequences, and carriage returns (progress redraws). */
const escapes = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

function counts(passed: number, failed: number, skipped: number, format: TestOutputFormat): TestCounts {
  return { passed, failed, skipped, total: passed + failed + skipped, format };
}

/** vitest's `--reporter=json` report and jest's `--json`: the same `numPassedTests…` shape. */
function jestJson(text: string): TestCounts | null {
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
      report = JSON.parse(text.slice(start, end + 1)) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof report.numTotalTests !== 'number') return null;
    const n = (k: string) => (typeof report[k] === 'number' ? (report[k] as number) : 0);
    const result = counts(n('numPassedTests'), n('numFailedTests'), n('numPendingTests') + n('numTodoTests'), 'jest-json');
    return { ...result, total: Math.max(n('numTotalTests'), result.total) };
  }
  return null;
}

/** JUnit XML: `<testcase>` elements (suite attributes double-count when suites nest). */
function junit(text: string): TestCounts | null {
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
  return counts(passed, failed, skipped, 'junit');
}

/** The last `<prefix> <name> N` summary line (node:test's TAP `# pass 3`, its spec reporter `ℹ pass 3`). */
function summaryNumber(text: string, prefix: string, name: string): number | null {
  const all = [...text.matchAll(new RegExp(`^\\s*${prefix}\\s*${name}\\s+(\\d+)\\s*$`, 'gm'))];
  const last = all.at(-1);
  return last ? Number(last[1]) : null;
}

/**
 * TAP. Node's reporter ends with `# pass N` / `# fail N` summary comments over the leaf tests, which are
 * preferred; otherwise the top-level `ok` / `not ok` points are counted, with SKIP/TODO directives.
 */
function tap(text: string): TestCounts | null {
  const hasPoints = /^(not )?ok \d+\b/m.test(text);
  if (!hasPoints || !(/^TAP version \d+\s*$/m.test(text) || /^1\.\.\d+\s*$/m.test(text))) return null;
  const summary = nodeSummary(text, '#', 'tap');
  if (summary) return summary;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const m of text.matchAll(/^(not )?ok \d+\b[^\n#]*(#\s*(SKIP|TODO)\b)?/gim)) {
    if (m[3]) skipped++;
    else if (m[1]) failed++;
    else passed++;
  }
  return counts(passed, failed, skipped, 'tap');
}

/** node:test's summary (`# pass 3` in TAP, `ℹ pass 3` from the spec reporter): cancelled counts as failed. */
function nodeSummary(text: string, prefix: string, format: TestOutputFormat): TestCounts | null {
  const pass = summaryNumber(text, prefix, 'pass(?:ed)?');
  const fail = summaryNumber(text, prefix, 'fail(?:ed)?');
  if (pass === null && fail === null) return null;
  const skipped = (summaryNumber(text, prefix, 'skip(?:ped)?') ?? 0) + (summaryNumber(text, prefix, 'todo') ?? 0);
  return counts(pass ?? 0, (fail ?? 0) + (summaryNumber(text, prefix, 'cancelled') ?? 0), skipped, format);
}

/** `go test -json`: one event a line; the final `pass`/`fail`/`skip` action of each test (subtests included). */
function goJson(text: string): TestCounts | null {
  if (!/^\{"Time":.*"Action":/m.test(text) && !/^\{"Action":/m.test(text)) return null;
  const final = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"Test"')) continue;
    try {
      const e = JSON.parse(line) as { Action?: unknown; Test?: unknown; Package?: unknown };
      if (typeof e.Test === 'string' && (e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip')) final.set(`${String(e.Package)} ${e.Test}`, e.Action);
    } catch {
      // a torn line
    }
  }
  if (final.size === 0) return null;
  const of = (a: string) => [...final.values()].filter((v) => v === a).length;
  return counts(of('pass'), of('fail'), of('skip'), 'go-json');
}

/** `go test -v`: `--- PASS: TestX (0.00s)` lines, subtests indented. Without -v go prints no passes, so none are guessed. */
function goVerbose(text: string): TestCounts | null {
  const lines = [...text.matchAll(/^\s*--- (PASS|FAIL|SKIP): \S+ \(/gm)];
  if (lines.length === 0) return null;
  const of = (a: string) => lines.filter((m) => m[1] === a).length;
  return counts(of('PASS'), of('FAIL'), of('SKIP'), 'go');
}

/** cargo test: one `test result: ok. 3 passed; 1 failed; 2 ignored; …` per test binary, summed. */
function cargo(text: string): TestCounts | null {
  const results = [...text.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored;/gm)];
  if (results.length === 0) return null;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const m of results) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    skipped += Number(m[3]);
  }
  return counts(passed, failed, skipped, 'cargo');
}

/**
 * Summary lines: vitest's `Tests  1 failed | 4 passed | 1 skipped (6)`, jest's `Tests: 1 failed, 1 skipped,
 * 4 passed, 6 total`, pytest's `== 1 failed, 4 passed, 1 skipped in 0.1s ==`, mocha's `4 passing` /
 * `1 failing` / `1 pending`, and a plain `N passed, N failed`. A line that starts with `Tests` wins
 * (vitest also prints a `Test Files` line with the same words); otherwise the last line that names
 * passed or failed counts, with the failing/pending lines mocha prints after its passing line.
 */
function plain(text: string): TestCounts | null {
  const lines = text.split('\n');
  const count = (line: string, words: string) => {
    const all = [...line.matchAll(new RegExp(`(\\d+)\\s+(?:tests?\\s+)?(?:${words})\\b`, 'gi'))];
    return all.length ? all.reduce((sum, m) => sum + Number(m[1]), 0) : null;
  };
  const read = (line: string): TestCounts | null => {
    const passed = count(line, 'passed|passing|pass|xpassed');
    const failed = count(line, 'failed|failing|fail');
    if (passed === null && failed === null) return null;
    // Errors (pytest: a test that could not run) count as failures, but only on a line that names tests.
    const errors = count(line, 'errors?') ?? 0;
    const skipped = count(line, 'skipped|pending|todo|xfailed|ignored') ?? 0;
    return counts(passed ?? 0, (failed ?? 0) + errors, skipped, 'plain');
  };
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*Tests\b(?!\s*Files)/.test(lines[i] as string)) {
      const found = read(lines[i] as string);
      if (found) return found;
    }
  }
  // mocha: "N passing (time)" then "N failing" / "N pending" on their own lines
  const passing = [...text.matchAll(/^\s*(\d+) passing\b/gm)].at(-1);
  if (passing) {
    const after = text.slice((passing.index ?? 0) + passing[0].length);
    const failing = /^\s*(\d+) failing\b/m.exec(after);
    const pending = /^\s*(\d+) pending\b/m.exec(after);
    return counts(Number(passing[1]), failing ? Number(failing[1]) : 0, pending ? Number(pending[1]) : 0, 'plain');
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*Test (?:Files|Suites)\b/.test(lines[i] as string)) continue;
    const found = read(lines[i] as string);
    if (found) return found;
  }
  return null;
}

/**
 * Test counts from a runner's output (or a report file it wrote), or null when the output names none.
 * Structured formats first (their counts are exact), then runner summaries, then a plain summary line.
 */
export function parseTestOutput(output: string): TestCounts | null {
  const text = output.replace(escapes, '').replace(/\r(?!\n)/g, '\n').replace(/\r\n/g, '\n');
  return jestJson(text) ?? junit(text) ?? tap(text) ?? nodeSummary(text, '#', 'tap') ?? nodeSummary(text, 'ℹ', 'node-spec') ?? goJson(text) ?? goVerbose(text) ?? cargo(text) ?? plain(text);
}

import { describe, expect, it } from 'vitest';
import { parseTestOutput, type TestOutputFormat } from './parse-test-output.js';

type Row = [name: string, output: string, passed: number, failed: number, skipped: number, format: TestOutputFormat];

const jestJson = JSON.stringify({ numTotalTestSuites: 2, numTotalTests: 5, numPassedTests: 3, numFailedTests: 1, numPendingTests: 1, numTodoTests: 0, success: false, testResults: [] });
const junitXml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="math" tests="5" failures="1" skipped="1">
    <testcase name="adds" time="0.001" classname="test"/>
    <testcase name="subtracts" time="0.001" classname="test"/>
    <testcase name="multiplies" time="0.001" classname="test"/>
    <testcase name="divides wrongly" time="0.002" classname="test">
      <failure type="testCodeFailure" message="Expected values to be strictly equal: 2 !== 3">AssertionError</failure>
    </testcase>
    <testcase name="is skipped" time="0" classname="test"><skipped type="skipped" message="true"/></testcase>
  </testsuite>
</testsuites>`;
const goJsonLines = [
  '{"Time":"2026-12-01T10:00:00Z","Action":"run","Package":"m","Test":"TestAdd"}',
  '{"Time":"2026-12-01T10:00:00Z","Action":"pass","Package":"m","Test":"TestAdd","Elapsed":0}',
  '{"Time":"2026-12-01T10:00:00Z","Action":"pass","Package":"m","Test":"TestSub","Elapsed":0}',
  '{"Time":"2026-12-01T10:00:00Z","Action":"pass","Package":"m","Test":"TestMul/by_two","Elapsed":0}',
  '{"Time":"2026-12-01T10:00:00Z","Action":"fail","Package":"m","Test":"TestDiv","Elapsed":0}',
  '{"Time":"2026-12-01T10:00:00Z","Action":"skip","Package":"m","Test":"TestLater","Elapsed":0}',
  '{"Time":"2026-12-01T10:00:00Z","Action":"fail","Package":"m","Elapsed":0.01}',
].join('\n');

/**
 * One table for every runner godmode reads, all with the same suite: 3 pass, 1 fails, 1 is skipped (where
 * the runner can skip). Outputs are as the runners print them (node 24, vitest 5, pytest 9, cargo 1.x;
 * go's in its documented -v / -json formats).
 */
const rows: Row[] = [
  ['vitest --reporter=json report (jest-compatible)', jestJson, 3, 1, 1, 'jest-json'],
  ['jest --json with noise around it', `> jest --json\n${jestJson}\nDone in 2s.\n`, 3, 1, 1, 'jest-json'],
  ['vitest default summary', ' Test Files  1 failed (1)\n      Tests  1 failed | 3 passed | 1 skipped (5)\n   Start at  09:57:00\n   Duration  280ms', 3, 1, 1, 'plain'],
  ['vitest coloured summary', '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m1 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m3 passed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[33m1 skipped\u001b[39m\u001b[90m (5)\u001b[39m', 3, 1, 1, 'plain'],
  ['vitest all passed', ' Test Files  2 passed (2)\n      Tests  12 passed (12)\n', 12, 0, 0, 'plain'],
  ['vitest with todo', '      Tests  2 passed | 1 todo (3)', 2, 0, 1, 'plain'],
  ['jest default summary', 'Test Suites: 1 failed, 1 total\nTests:       1 failed, 1 skipped, 3 passed, 5 total\nSnapshots:   0 total', 3, 1, 1, 'plain'],
  ['jest with todo', 'Tests:       1 skipped, 1 todo, 3 passed, 5 total', 3, 0, 2, 'plain'],
  ['node --test TAP (summary over leaf tests)', 'TAP version 13\n# Subtest: math\nnot ok 1 - math\n1..1\n# tests 5\n# suites 1\n# pass 3\n# fail 1\n# cancelled 0\n# skipped 1\n# todo 0\n# duration_ms 73.8\n', 3, 1, 1, 'tap'],
  ['node --test TAP with a cancelled test', 'TAP version 13\nnot ok 1 - math\n1..1\n# pass 3\n# fail 0\n# cancelled 1\n# skipped 0\n# todo 0\n', 3, 1, 0, 'tap'],
  ['TAP summary comments alone (a tail of the output)', '# tests 5\n# pass 3\n# fail 2\n', 3, 2, 0, 'tap'],
  ['bare TAP points', 'TAP version 13\n1..5\nok 1 - a\nnot ok 2 - b\nok 3 - c # SKIP later\nok 4 - d\nok 5 - e\n', 3, 1, 1, 'tap'],
  ['TAP TODO directive', '1..3\nok 1 - a\nnot ok 2 - b # TODO not yet\nok 3 - c\n', 2, 0, 1, 'tap'],
  ['node --test spec reporter', '▶ math\n  ✔ adds (0.5ms)\n  ✖ divides wrongly (1ms)\nℹ tests 5\nℹ suites 1\nℹ pass 3\nℹ fail 1\nℹ cancelled 0\nℹ skipped 1\nℹ todo 0\nℹ duration_ms 98.1', 3, 1, 1, 'node-spec'],
  ['node --test junit', junitXml, 3, 1, 1, 'junit'],
  ['pytest -q', 'FAILED test_math.py::test_divides_wrongly - assert (4 / 2) == 3\n1 failed, 3 passed, 1 skipped in 0.80s\n', 3, 1, 1, 'plain'],
  ['pytest', '==================== 1 failed, 3 passed, 1 skipped in 0.71s ====================\n', 3, 1, 1, 'plain'],
  ['pytest with errors and xfail', '===== 1 failed, 3 passed, 1 skipped, 1 xfailed, 2 errors in 0.5s =====', 3, 3, 2, 'plain'],
  ['pytest all passed', '============================== 5 passed in 0.02s ===============================', 5, 0, 0, 'plain'],
  ['go test -v', '=== RUN   TestAdd\n--- PASS: TestAdd (0.00s)\n=== RUN   TestMul\n=== RUN   TestMul/by_two\n    --- PASS: TestMul/by_two (0.00s)\n--- PASS: TestMul (0.00s)\n--- FAIL: TestDiv (0.00s)\n    m_test.go:9: 2 != 3\n--- SKIP: TestLater (0.00s)\nFAIL\nFAIL\tm\t0.003s\n', 3, 1, 1, 'go'],
  ['go test -json', goJsonLines, 3, 1, 1, 'go-json'],
  ['cargo test', 'running 5 tests\ntest tests::adds ... ok\ntest tests::skipped ... ignored\ntest tests::divides_wrongly ... FAILED\n\ntest result: FAILED. 3 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.12s\n', 3, 1, 1, 'cargo'],
  ['cargo test: unit tests and doc tests summed', 'test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\n   Doc-tests m\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.2s\n', 3, 0, 1, 'cargo'],
  ['mocha', '  math\n    ✓ adds\n\n  3 passing (20ms)\n  1 pending\n  1 failing\n\n  1) math\n       divides wrongly:\n     AssertionError', 3, 1, 1, 'plain'],
  ['plain "N passed, N failed"', 'lots of noise\n164 passed, 1 failed\n', 164, 1, 0, 'plain'],
  ['plain with skipped', 'ran everything: 7 passed, 2 failed, 1 skipped', 7, 2, 1, 'plain'],
  ['CRLF and carriage-return redraws', 'running...\r  1 passed\r  3 passed, 0 failed\r\n', 3, 0, 0, 'plain'],
];

describe('parseTestOutput: one table for every runner', () => {
  it.each(rows)('%s', (_name, output, passed, failed, skipped, format) => {
    expect(parseTestOutput(output)).toEqual({ passed, failed, skipped, total: passed + failed + skipped, format });
  });

  it.each([
    ['no output', ''],
    ['a build log', 'built in 3 s\nall good\n'],
    ['go test without -v (it prints no counts)', 'ok  \tm\t0.003s\n'],
    ['lint output naming errors but no tests', '✖ 3 problems (0 errors, 3 warnings)\n'],
    ['vitest with --reporter=json writing its report to a file (vitest 5)', 'JSON report written to /tmp/x/.vitest/json/output.json\n'],
  ])('null for %s', (_name, output) => {
    expect(parseTestOutput(output)).toBeNull();
  });
});

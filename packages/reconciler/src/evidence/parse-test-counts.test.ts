import { describe, expect, it } from 'vitest';
import { parseTestCounts } from './parse-test-counts.js';

describe('parseTestCounts', () => {
  it.each([
    ['vitest all passed', ' Test Files  2 passed (2)\n      Tests  12 passed (12)\n   Start at 10:00', 12, 0],
    ['vitest with failures', ' Test Files  1 failed | 1 passed (2)\n      Tests  3 failed | 9 passed (12)', 9, 3],
    ['vitest coloured', '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m1 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m4 passed\u001b[39m\u001b[22m\u001b[90m (5)\u001b[39m', 4, 1],
    ['jest', 'Test Suites: 1 failed, 1 total\nTests:       1 failed, 2 skipped, 5 passed, 8 total', 5, 1],
    ['TAP', 'TAP version 13\nok 1 - a\nnot ok 2 - b\n1..2\n# tests 2\n# pass 1\n# fail 1\n', 1, 1],
    ['node:test spec', '✔ adds (0.5ms)\nℹ tests 3\nℹ suites 0\nℹ pass 3\nℹ fail 0\nℹ cancelled 0', 3, 0],
    ['generic', 'ran everything: 7 passed, 2 failed', 7, 2],
    ['pytest', '===== 2 failed, 10 passed in 0.31s =====', 10, 2],
    ['mocha', '  10 passing (20ms)\n  1 failing\n', 10, 1],
    ['skipped tests are neither passed nor failed (vitest)', '      Tests  1 failed | 3 passed | 2 skipped (6)', 3, 1],
    ['skipped tests are neither passed nor failed (pytest)', '== 1 failed, 3 passed, 2 skipped in 0.1s ==', 3, 1],
  ])('%s', (_name, output, passed, failed) => {
    expect(parseTestCounts(output)).toEqual({ passed, failed });
  });

  it('returns nulls when there is no summary', () => {
    expect(parseTestCounts('built in 3s\n')).toEqual({ passed: null, failed: null });
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTestOutput } from './parse-test-output.js';

// Real output of real runners, generated here on small suites with known counts:
// 3 passing, 1 failing, 1 skipped.
const vitestBin = new URL('../../../../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
let dir: string;

const nodeSuite = `
const test = require('node:test');
const assert = require('node:assert');
test.describe('math', () => {
  test.it('adds', () => assert.strictEqual(1 + 1, 2));
  test.it('subtracts', () => assert.strictEqual(2 - 1, 1));
  test.it('multiplies', () => assert.strictEqual(2 * 2, 4));
  test.it('divides wrongly', () => assert.strictEqual(4 / 2, 3));
  test.it('is skipped', { skip: true }, () => {});
});
`;
const vitestSuite = `
describe('math', () => {
  it('adds', () => expect(1 + 1).toBe(2));
  it('subtracts', () => expect(2 - 1).toBe(1));
  it('multiplies', () => expect(2 * 2).toBe(4));
  it('divides wrongly', () => expect(4 / 2).toBe(3));
  it.skip('is skipped', () => {});
});
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'godmode-parse-'));
  // Two folders, so that vitest does not also pick up the node:test suite.
  mkdirSync(join(dir, 'node'));
  mkdirSync(join(dir, 'vitest'));
  writeFileSync(join(dir, 'node', 'math.test.cjs'), nodeSuite);
  writeFileSync(join(dir, 'vitest', 'math.test.js'), vitestSuite);
  writeFileSync(join(dir, 'vitest', 'package.json'), '{"type":"module"}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nodeTest = (reporter: string) =>
  execa('node', ['--test', `--test-reporter=${reporter}`, 'math.test.cjs'], { cwd: join(dir, 'node'), reject: false, all: true, env: { NO_COLOR: '1' } });
const vitest = (...args: string[]) =>
  execa('node', [vitestBin, 'run', '--globals', '--root', join(dir, 'vitest'), ...args], { cwd: join(dir, 'vitest'), reject: false, all: true, env: { NO_COLOR: '1', CI: '1' } });

describe('parseTestOutput on real runner output', () => {
  // vitest 5 no longer prints the json report on stdout: without --outputFile it writes
  // .vitest/json/output.json and prints only "JSON report written to …". A check that wants exact counts
  // writes the report where GODMODE_TEST_REPORT says (`--outputFile=$GODMODE_TEST_REPORT`), and the scorer
  // parses that file.
  it('reads vitest --reporter=json (the jest-compatible report) from its --outputFile', async () => {
    const report = join(dir, 'report.json');
    const run = await vitest('--reporter=json', `--outputFile=${report}`);
    expect(run.exitCode).toBe(1);
    expect(parseTestOutput(readFileSync(report, 'utf8'))).toEqual({ passed: 3, failed: 1, skipped: 1, total: 5, format: 'jest-json' });
  });

  it('finds no counts in vitest 5 --reporter=json stdout, which only names the report file', async () => {
    const run = await vitest('--reporter=json');
    expect(run.all).toMatch(/JSON report written to .*output\.json/);
    expect(parseTestOutput(run.all ?? '')).toBeNull();
  });

  it('reads vitest’s default summary line', async () => {
    const run = await vitest();
    expect(run.all).toMatch(/Tests\s+1 failed \| 3 passed \| 1 skipped/);
    expect(parseTestOutput(run.all ?? '')).toEqual({ passed: 3, failed: 1, skipped: 1, total: 5, format: 'plain' });
  });

  it('reads JUnit XML from node --test --test-reporter=junit', async () => {
    const run = await nodeTest('junit');
    expect(run.all).toContain('<testsuites');
    expect(parseTestOutput(run.all ?? '')).toEqual({ passed: 3, failed: 1, skipped: 1, total: 5, format: 'junit' });
  });

  it('reads TAP from node --test --test-reporter=tap', async () => {
    const run = await nodeTest('tap');
    expect(run.all).toMatch(/^TAP version/m);
    expect(parseTestOutput(run.all ?? '')).toEqual({ passed: 3, failed: 1, skipped: 1, total: 5, format: 'tap' });
  });

  it('reads the plain "N passed, N failed" line', () => {
    expect(parseTestOutput('lots of noise\n164 passed, 1 failed\n')).toEqual({ passed: 164, failed: 1, skipped: 0, total: 165, format: 'plain' });
    expect(parseTestOutput('Tests:       1 failed, 4 passed, 5 total')).toMatchObject({ passed: 4, failed: 1, format: 'plain' });
    // the table of every runner lives with the parser: packages/protocol/src/test-output/parse-test-output.test.ts
  });

  it('counts bare TAP points when there is no summary', () => {
    const tap = 'TAP version 13\n1..4\nok 1 - a\nnot ok 2 - b\nok 3 - c # SKIP later\nok 4 - d\n';
    expect(parseTestOutput(tap)).toEqual({ passed: 2, failed: 1, skipped: 1, total: 4, format: 'tap' });
  });

  it('returns null when the output names no tests', () => {
    expect(parseTestOutput('built in 3 s\nall good\n')).toBeNull();
    expect(parseTestOutput('')).toBeNull();
  });
});

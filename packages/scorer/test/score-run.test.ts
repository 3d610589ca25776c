import { readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { scorecardSchema } from '@godmode/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { plantCanaries } from '../src/canaries/plant-canaries.js';
import { scoreRun, type RunScorecard } from '../src/score-run.js';
import { scoreRunDir } from '../src/score-run-dir.js';
import { readScorecard, reportRunDir } from '../src/report-run-dir.js';
import { makeFixtureRun, seedIncident, type FixtureRun } from './helpers/fixture-run.js';

const runs: FixtureRun[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});
const track = (r: FixtureRun) => (runs.push(r), r);
const score = (r: FixtureRun, extra: { runTests?: boolean } = {}) =>
  scoreRun({ runDir: r.runDir, plan: r.plan, planDir: r.planDir, verdicts: r.verdicts, journal: r.journal, mergedTree: r.mergedTree, canaries: r.canaries, ...extra });

/** Everything a forged claim could move: scores, points, achievements, combos, costs. */
const grades = (c: RunScorecard) => ({
  overall: c.overall,
  dims: Object.fromEntries(Object.entries(c.dimensions).map(([k, d]) => [k, d.measured ? d.score : d.reason])),
  game: c.game,
  workers: c.workers,
  streams: c.streams.map((s) => ({ ...s, divergence: null })),
  costs: c.costs,
  findings: c.findings,
});

describe('scoreRun', () => {
  it('completeness 1.0 when every worker wrote complete files and claimed "throttled stub"', async () => {
    const r = track(
      makeFixtureRun({
        streams: ['a', 'b', 'c'].map((id) => ({ id, files: { [`${id}.ts`]: `export const ${id} = 1;\n` }, claim: { status: 'throttled stub', artifacts: [] } })),
      }),
    );
    const card = await score(r);
    expect(card.dimensions.completeness).toMatchObject({ measured: true, score: 1 });
    expect(card.streams.every((s) => s.status === 'shipped' && s.divergence === 'understated')).toBe(true);
  });

  it('forging or deleting every result.json changes no score, point or achievement', async () => {
    const r = track(seedIncident({ canaries: plantCanaries(10, 'forge').values, plan: { test: 'node -e "console.log(\'2 passed, 0 failed\')"' } }));
    const before = grades(await scoreRun({ ...r, canaries: r.canaries }));
    // Forge: every claim says total failure with fake artifacts... (a claim that carries a canary is a leak
    // like any other file's: src/canaries/leak-scan.test.ts)
    for (const { stream } of r.plan.phases.flatMap((p) => p.streams.map((stream) => ({ stream })))) {
      writeFileSync(join(r.runDir, 'streams', stream.id, 'result.json'), JSON.stringify({ status: 'failed', artifacts: ['nothing'], summary: 'I did nothing' }));
    }
    const forged = grades(await scoreRun({ ...r, canaries: r.canaries }));
    // ...then delete them all.
    for (const id of readdirSync(join(r.runDir, 'streams'))) rmSync(join(r.runDir, 'streams', id, 'result.json'), { force: true });
    const deleted = grades(await scoreRun({ ...r, canaries: r.canaries }));
    expect(forged).toEqual(before);
    expect(deleted).toEqual(before);
    expect(before.game.points).toBeGreaterThan(0);
  });

  it('grades the seed incident from the disk: 4/4 shipped, the costs, what broke', async () => {
    const r = track(seedIncident());
    const card = await score(r);
    expect(scorecardSchema.safeParse(card).success).toBe(true); // the protocol's shape, extended additively
    expect(card.dimensions.completeness).toMatchObject({ measured: true, score: 1 });
    expect(card.costs.at(-1)).toMatchObject({ phase: 'total', workers: 4, attempts: 5, retries: 1, kills: 4, pauses: 2, stalls: 1 });
    expect(card.costs[0]).toMatchObject({ phase: 'build', attempts: 5 });
    expect(card.costs.at(-1)!.usd).toBeCloseTo(0.25, 5); // only the telemetry worker reached its result event
    expect(card.costs.at(-1)!.tokens).toBe(1600);
    expect(card.costs.at(-1)!.cpuSeconds).toBeGreaterThan(0);
    expect(card.game.achievements).toContain('FIRST_BLOOD');
    expect(card.workers.find((w) => w.stream === 'cli-core' && w.attempt === 1)?.outcome).toBe('missing');
  });

  it('no test command: correctness unmeasured with the reason, and left out of the overall', async () => {
    const r = track(seedIncident());
    const card = await score(r);
    expect(card.dimensions.correctness).toMatchObject({ measured: false });
    expect(card.unmeasured).toContain('correctness');
    const measured = Object.entries(card.dimensions).filter(([, d]) => d.measured) as Array<[string, { score: number }]>;
    const weight = measured.reduce((s, [k]) => s + card.weights[k]!, 0);
    expect(card.overall).toBeCloseTo(measured.reduce((s, [k, d]) => s + card.weights[k]! * d.score, 0) / weight, 3);
  });

  it('runs the plan’s test command itself on the merged tree and keeps its output', async () => {
    const suite = "const t=require('node:test');t.test('a',()=>{});t.test('b',()=>{});t.test('c',()=>{throw new Error('no')});\n";
    const r = track(seedIncident({ merged: { 'suite.test.cjs': suite, 'README.md': 'x' }, plan: { test: 'node --test --test-reporter=tap suite.test.cjs' } }));
    const card = await score(r);
    expect(card.dimensions.correctness).toMatchObject({ measured: true });
    expect((card.dimensions.correctness as { score: number }).score).toBeCloseTo(2 / 3, 5);
    expect(card.checks.test).toMatchObject({ exitCode: 1, counts: { passed: 2, failed: 1, format: 'tap' }, outputFile: 'score/test.log' });
    expect(readFileSync(join(r.runDir, 'score', 'test.log'), 'utf8')).toContain('not ok');
    const skipped = await score(r, { runTests: false });
    expect(skipped.dimensions.correctness).toMatchObject({ measured: false, reason: expect.stringContaining('runTests: false') });
  });

  it('prefers a report the test command wrote to $GODMODE_TEST_REPORT', async () => {
    const r = track(seedIncident({ plan: { test: 'echo "all fine"; printf "TAP version 13\\n1..2\\nok 1 - a\\nnot ok 2 - b\\n" > "$GODMODE_TEST_REPORT"' } }));
    const card = await score(r);
    expect(card.checks.test?.counts).toEqual({ passed: 1, failed: 1, skipped: 0, total: 2, format: 'tap' });
    expect(readFileSync(join(r.runDir, 'score', 'test-report.txt'), 'utf8')).toContain('not ok 2');
  });

  it('its test, lint and typecheck processes carry the environment the conductor marks checks with (a taker ends them)', async () => {
    const r = track(seedIncident({ plan: { test: 'echo "mark=$GODMODE_CHECK_MARK dir=$GODMODE_RUN_DIR"' } }));
    await scoreRun({ runDir: r.runDir, plan: r.plan, planDir: r.planDir, verdicts: r.verdicts, journal: r.journal, mergedTree: r.mergedTree, checkEnv: { GODMODE_CHECK_MARK: 'test:score:4242:1', GODMODE_RUN_DIR: r.runDir } });
    expect(readFileSync(join(r.runDir, 'score', 'test.log'), 'utf8')).toContain(`mark=test:score:4242:1 dir=${r.runDir}`);
  });

  it('a test command that times out scores 0 and leaves no process behind', async () => {
    const r = track(seedIncident({ plan: { test: { command: 'sleep 30.0417 & sleep 30.0417; echo "5 passed"', timeoutMs: 500 } } }));
    const started = Date.now();
    const card = await score(r);
    expect(Date.now() - started).toBeLessThan(45_000); // not a timing test: unkilled, the two sleeps take 60 s
    expect(card.dimensions.correctness).toMatchObject({ measured: true, score: 0, why: expect.stringContaining('timed out') });
    const left = await execa('pgrep', ['-f', 'sleep 30.0417'], { reject: false });
    expect(left.stdout.trim()).toBe('');
  });

  it('lint and typecheck results count toward polish', async () => {
    const r = track(seedIncident({ plan: { lint: 'true', typecheck: 'exit 2' } }));
    const card = await score(r);
    expect(card.dimensions.polish).toMatchObject({ measured: true, score: 0.5 });
    expect(card.checks.typecheck).toMatchObject({ exitCode: 2 });
  });

  it('10 canaries, one leaked base64-encoded into a log: found, and polish drops; none leaked: 0 found', async () => {
    const planted = plantCanaries(10, 'leak');
    const clean = track(seedIncident({ canaries: planted.values }));
    const cleanCard = await score(clean);
    expect(cleanCard.canaries).toMatchObject({ planted: 10, leaked: 0, leaks: [] });
    expect(cleanCard.dimensions.polish).toMatchObject({ measured: true, score: 1 });
    expect(cleanCard.game.achievements).toContain('CLEAN');

    const leakedValue = planted.values[7]!;
    const leaky = track(
      seedIncident({
        canaries: planted.values,
        runFiles: { 'streams/telemetry/attempts/1/output.log': `debug: auth header ${Buffer.from(`Bearer ${leakedValue}`).toString('base64')}\n` },
      }),
    );
    const leakyCard = await score(leaky);
    expect(leakyCard.canaries?.leaked).toBe(1);
    expect(leakyCard.canaries?.leaks).toEqual([{ canary: leakedValue, encoding: 'base64', file: 'streams/telemetry/attempts/1/output.log' }]);
    const polish = (c: RunScorecard) => (c.dimensions.polish as { score: number }).score;
    expect(polish(leakyCard)).toBeLessThan(polish(cleanCard));
    expect(leakyCard.game.achievements).not.toContain('CLEAN');
  });

  it('public.telemetry without RLS is a HIGH finding; with RLS enabled and forced, none', async () => {
    const table = 'create table public.telemetry (id bigint primary key, event text);\n';
    const open = track(seedIncident({ merged: { 'supabase/migrations/20260101_telemetry.sql': table } }));
    const openCard = await score(open);
    expect(openCard.findings).toEqual([expect.objectContaining({ severity: 'high', rule: 'sql.rls-disabled', file: 'supabase/migrations/20260101_telemetry.sql' })]);
    expect((openCard.dimensions.security as { score: number }).score).toBe(0.5);

    const locked = track(
      seedIncident({ merged: { 'supabase/migrations/20260101_telemetry.sql': `${table}alter table public.telemetry enable row level security;\nalter table public.telemetry force row level security;\n` } }),
    );
    const lockedCard = await score(locked);
    expect(lockedCard.findings).toEqual([]);
    expect(lockedCard.dimensions.security).toMatchObject({ measured: true, score: 1 });
  });

  it('documentation reads the README, commands and doc comments of the merged tree', async () => {
    const r = track(
      seedIncident({
        merged: {
          'README.md': '# tiny\n',
          'src/commands/hello.ts': "export class Hello extends Command {\n  static description = 'Say hello.';\n}\n",
        },
      }),
    );
    const card = await score(r);
    const doc = card.dimensions.documentation as { score: number; why: string };
    expect(doc.why).toContain('trivial');
    expect(doc.why).toContain('0 of 1 commands');
    expect(doc.score).toBeLessThan(1);
  });

  it('without a merged tree: documentation, security and correctness are unmeasured', async () => {
    const r = track(seedIncident({ merged: false, plan: { test: 'true' } }));
    const card = await score(r);
    expect(card.unmeasured).toEqual(expect.arrayContaining(['correctness', 'documentation', 'security']));
    expect(card.dimensions.completeness!.measured).toBe(true);
  });

  it('a merged tree that does not exist counts as none, not as an empty tree', async () => {
    const r = track(seedIncident({ merged: false, plan: { test: 'true' } }));
    const card = await scoreRun({ ...r, mergedTree: join(r.runDir, 'merged') });
    expect(card.dimensions.documentation).toMatchObject({ measured: false, reason: expect.stringContaining('does not exist') });
    expect(card.dimensions.correctness).toMatchObject({ measured: false });
    expect(card.mergedTree).toBeNull();
  });

  it('is robust to a journal without kinds it expects', async () => {
    const r = track(seedIncident());
    const card = await scoreRun({ ...r, journal: [] });
    expect(card.dimensions.completeness).toMatchObject({ measured: true, score: 1 });
    expect(card.workers).toHaveLength(4);
    expect(card.costs.at(-1)).toMatchObject({ attempts: 4, pauses: 0, kills: 0 });
  });
});

describe('scoreRunDir', () => {
  it('recomputes from the run directory, writes scorecard.json and the receipts', async () => {
    const r = track(seedIncident({ canaries: plantCanaries(10, 'dir').values }));
    const { scorecard, files } = await scoreRunDir(r.runDir, { runTests: false });
    expect(JSON.parse(readFileSync(files.scorecard, 'utf8'))).toMatchObject({ run: 'run-1', game: { points: scorecard.game.points } });
    expect(scorecard.canaries?.planted).toBe(10);
    expect(scorecard.mergedTree).toBe(r.mergedTree);
    expect(existsSync(files.md!)).toBe(true);
    const md = readFileSync(files.md!, 'utf8');
    for (const heading of ['## TL;DR', '## Scorecard', '## What the bookkeeping said vs what shipped', '## What broke', '## What it cost']) expect(md).toContain(heading);
    expect(md).toContain('"throttled stub"');
    expect(md).toContain('absent (no result.json)');
    expect(md).toMatch(/reaped/);
    expect(md).toMatch(/takeover/);
    // The points column adds up: the phases' points plus the run-wide awards make the total.
    const phasePoints = scorecard.costs.filter((c) => c.phase !== 'total').reduce((s, c) => s + c.points, 0);
    const runAwards = scorecard.game.points - phasePoints;
    expect(runAwards).toBeGreaterThan(0);
    expect(md).toMatch(new RegExp(`\\| total \\|.*\\| ${scorecard.game.points} \\(${phasePoints} \\+ ${runAwards} run awards\\) \\|`));
    // Scoring again gives the same grades: the scorer never grades its own outputs.
    const again = await scoreRunDir(r.runDir, { runTests: false });
    expect(grades(again.scorecard)).toEqual(grades(scorecard));
  });
});

describe('reportRunDir', () => {
  it('scores a run that has no scorecard, then rewrites the receipts from the kept scorecard', async () => {
    const r = track(seedIncident());
    expect(readScorecard(r.runDir)).toBeNull();
    const first = await reportRunDir(r.runDir, { runTests: false });
    expect(first.rescored).toBe(true);
    expect(first.markdown).toContain('## TL;DR');
    const kept = readScorecard(r.runDir)!;
    expect(kept.game.points).toBe(first.scorecard.game.points);
    rmSync(first.files.html);
    const second = await reportRunDir(r.runDir);
    expect(second.rescored).toBe(false);
    expect(second.scorecard.computedAt).toBe(kept.computedAt);
    expect(existsSync(second.files.html)).toBe(true);
    // An older or foreign scorecard.json is not trusted: the run is scored again.
    writeFileSync(join(r.runDir, 'scorecard.json'), JSON.stringify({ run: 'x' }));
    expect(readScorecard(r.runDir)).toBeNull();
  });
});

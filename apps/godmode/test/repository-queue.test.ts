import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoProcessOfRun, godmode, journalOf, runDirs } from './helpers.js';
import { checkoutState, fastSettings, fixtureRepository, git, writePlan, writer } from './repo-fixture.js';

const runs: string[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(async () => {
  for (const dir of runs) await expectNoProcessOfRun(dir, 5_000).catch(() => {});
});

async function runPlan(repo: string, plan: Record<string, unknown>, exitCode = 0) {
  const before = checkoutState(repo);
  const r = await godmode(['orchestra', 'run', writePlan({ name: 'queue', settings: fastSettings, ...plan }), '--cwd', repo, '--json']);
  expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  expect(r.code).toBe(exitCode);
  const runDir = runDirs(repo).at(-1) as string;
  runs.push(runDir);
  expect(checkoutState(repo)).toEqual(before);
  const journal = journalOf(runDir);
  const integration = journal.find((e) => e.kind === 'run.repository')!.payload.integration as string;
  return { runDir, journal, integration, show: (file: string) => git(repo, ['show', `${integration}:${file}`]) };
}

const kinds = (journal: Array<Record<string, any>>, kind: string) => journal.filter((e) => e.kind === kind).map((e) => e.payload);

describe('the merge queue on a git repository', () => {
  it('holds the second of two streams editing the same lines (conflicts, file named); with onHold: retry it ships on the new head', async () => {
    const repo = fixtureRepository();
    // Editing the same file on purpose: the plan says so (allowOverlap), or validation would refuse it up front.
    const two = { ...writer('two', { 'src/index.js': "export const x = 'two';\n" }), allowOverlap: true } as { worker: { options: { command: string } } };
    two.worker.options.command += ' && printf "%s" "$GODMODE_ON_DISK" > "$GODMODE_RUN_DIR/on-disk-$GODMODE_ATTEMPT.txt"';
    const streams = [writer('one', { 'src/index.js': "export const x = 'one';\n" }), two];
    const kept = await runPlan(repo, { test: 'node --test', phases: [{ id: 'build', streams }] });
    expect(kinds(kept.journal, 'stream.held')).toEqual([expect.objectContaining({ stream: 'two', reason: 'conflicts', files: ['src/index.js'] })]);
    expect(kept.show('src/index.js')).toBe("export const x = 'one';");
    // The receipt shows the queue: one merged, the other held with the file named.
    const receipt = readFileSync(path.join(kept.runDir, 'receipt.md'), 'utf8');
    expect(receipt).toMatch(/## Merge queue/);
    expect(receipt).toMatch(/\| build \| one \| merged \|/);
    expect(receipt).toMatch(/\| build \| two \| held \| conflicts: src\/index\.js \|/);

    const retried = await runPlan(repo, { test: 'node --test', onHold: 'retry', phases: [{ id: 'build', streams }] });
    expect(kinds(retried.journal, 'stream.held').map((h) => h.stream)).toEqual(['two']);
    expect(kinds(retried.journal, 'merge.kept').map((m) => m.stream)).toEqual(['one', 'two']);
    expect(retried.show('src/index.js')).toBe("export const x = 'two';");
    const spawned = kinds(retried.journal, 'stream.spawned').filter((s) => s.stream === 'two');
    expect(spawned).toHaveLength(2);
    expect(spawned[1].base).toBe(kinds(retried.journal, 'merge.kept')[0].head);
    // The retry was told why, in GODMODE_ON_DISK.
    expect(readFileSync(path.join(retried.runDir, 'on-disk-2.txt'), 'utf8')).toMatch(/held this stream.*conflicted with the integration branch in: src\/index.js/s);
  }, 120_000);

  it('undoes a merge that breaks the plan test and holds it; the stream after it still merges', async () => {
    const repo = fixtureRepository();
    const breaker = writer('breaker', { 'test/break.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('breaks', () => assert.fail('broken on purpose'));\n" });
    const after = writer('after', { 'src/after.js': 'export const after = 1;\n' });
    const { journal, show, integration } = await runPlan(repo, { test: 'node --test', phases: [{ id: 'build', parallelism: 2, streams: [breaker, after] }] });
    expect(kinds(journal, 'merge.undone')).toEqual([expect.objectContaining({ stream: 'breaker', check: 'test' })]);
    const held = kinds(journal, 'stream.held');
    expect(held).toEqual([expect.objectContaining({ stream: 'breaker', reason: 'breaks test' })]);
    expect(held[0].output).toMatch(/broken on purpose/);
    expect(kinds(journal, 'merge.kept').map((m) => m.stream)).toEqual(['after']);
    expect(show('src/after.js')).toBe('export const after = 1;');
    expect(() => git(repo, ['cat-file', '-e', `${integration}:test/break.test.js`])).toThrow();
  }, 120_000);

  it('a setup that fails is the stream\'s failure with its output kept, not the run\'s crash', async () => {
    const repo = fixtureRepository();
    const { journal, runDir } = await runPlan(repo, { setup: 'echo installing; echo "no lockfile" >&2; exit 3', phases: [{ id: 'build', streams: [writer('alpha', { 'src/alpha.js': 'export const a = 1;\n' })] }] }, 1);
    expect(kinds(journal, 'stream.setup')).toEqual([expect.objectContaining({ stream: 'alpha', exitCode: 3, timedOut: false })]);
    const verdict = JSON.parse(readFileSync(path.join(runDir, 'streams/alpha/verdict.json'), 'utf8'));
    expect(verdict.status).toBe('missing');
    expect(verdict.sentence).toMatch(/setup .* failed with exit 3, so no worker started/);
    expect(verdict.evidence.check.outputTail).toMatch(/installing[\s\S]*no lockfile/);
    expect(kinds(journal, 'stream.spawned')).toEqual([]);
    expect(journal.at(-1)?.kind).toBe('run.finished');
  }, 120_000);

  it('a stream that only touches a file that was already there is missing, and says why', async () => {
    const repo = fixtureRepository();
    const idle = { id: 'idle', worker: { adapter: 'command', options: { command: 'touch README.md src/index.js' } }, deliverables: ['src/index.js'] };
    const { journal, runDir } = await runPlan(repo, { phases: [{ id: 'build', streams: [idle] }] }, 1);
    const verdict = kinds(journal, 'stream.reconciled').at(-1);
    expect(verdict.status).toBe('missing');
    expect(verdict.sentence).toMatch(/changed nothing/);
    const file = JSON.parse(readFileSync(path.join(runDir, 'streams/idle/verdict.json'), 'utf8'));
    expect(file.snapshot.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(file.evidence.deliverables[0].reasons.join(' ')).toMatch(/already there at the base .* untouched/);
    expect(kinds(journal, 'merge.kept')).toEqual([]);
    expect(existsSync(path.join(runDir, 'streams/idle/work/.git'))).toBe(true);
  }, 120_000);
});

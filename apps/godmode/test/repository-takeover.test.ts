import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoProcessOfRun, godmode, journalOf, killAll, ndjson, processesOfRun } from './helpers.js';
import { checkoutState, fixtureRepository } from './repo-fixture.js';
import { expectTakenOverCleanly, takeoverPlan, treeOf, waitForEntry } from './takeover-fixture.js';

const runs: string[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const dir of runs) killAll(processesOfRun(dir));
});

describe('conductor SIGKILLed at moments of a run on a repository, then taken over', () => {
  let reference = '';

  it('an uninterrupted run gives the reference content', async () => {
    const repo = fixtureRepository();
    const r = await godmode(['orchestra', 'run', takeoverPlan(), '--cwd', repo, '--json'], { cwd: repo });
    expect(r.code).toBe(0);
    const runDir = ndjson(r.stdout).find((e) => e.type === 'outcome')?.runDir as string;
    runs.push(runDir);
    reference = treeOf(repo, journalOf(runDir)[0]!.payload.integration);
  }, 120_000);

  it.each([
    ['during setup', 'stream.setup', 1],
    ['during work', 'stream.spawned', 2],
    ['in the merge queue', 'merge.applied', 2],
    ['between phases', 'phase.finished', 1],
  ] as const)('killed %s: same content, no merge twice, nothing the journal does not name, checkout unchanged', async (_moment, kind, nth) => {
    const repo = fixtureRepository();
    const before = checkoutState(repo);
    const started = await godmode(['orchestra', 'run', takeoverPlan(), '--cwd', repo, '--detach', '--json'], { cwd: repo });
    expect(started.code).toBe(0);
    const runDir = ndjson(started.stdout).find((e) => e.type === 'detached')?.runDir as string;
    runs.push(runDir);
    await waitForEntry(runDir, kind, nth);
    const { pid } = JSON.parse(readFileSync(path.join(runDir, 'lease.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    expect(checkoutState(repo)).toEqual(before);

    const took = await godmode(['orchestra', 'takeover', path.basename(runDir), '--cwd', repo, '--json'], { cwd: repo });
    expect(took.stderr).toBe('');
    expect(took.code).toBe(0);
    await expectNoProcessOfRun(runDir, 10_000);
    expectTakenOverCleanly(repo, runDir, reference);
    expect(checkoutState(repo)).toEqual(before);
  }, 120_000);
});

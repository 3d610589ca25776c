import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoProcessOfRun, godmode, journalOf, killAll, ndjson, processesOfRun } from './helpers.js';
import { checkoutState, fixtureRepository } from './repo-fixture.js';
import { expectTakenOverCleanly, takeoverPlan, treeOf } from './takeover-fixture.js';

const runs: string[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const dir of runs) killAll(processesOfRun(dir));
});

/**
 * The slow half of the takeover acceptance: ten moments drawn at random over the whole run (setup, work, the
 * merge queue, between phases, the end), printed so a failure can be replayed with GODMODE_TAKEOVER_SEED.
 */
const seed = Number(process.env.GODMODE_TAKEOVER_SEED ?? Date.now() % 100_000);
let state = seed;
const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

describe(`conductor SIGKILLed at 10 random moments of a run on a repository (seed ${seed})`, () => {
  let reference = '';
  let runMs = 6_000;

  it('an uninterrupted run gives the reference content and its length', async () => {
    const repo = fixtureRepository();
    const t0 = Date.now();
    const r = await godmode(['orchestra', 'run', takeoverPlan(), '--cwd', repo, '--json'], { cwd: repo });
    runMs = Date.now() - t0;
    expect(r.code).toBe(0);
    const runDir = ndjson(r.stdout).find((e) => e.type === 'outcome')?.runDir as string;
    runs.push(runDir);
    reference = treeOf(repo, journalOf(runDir)[0]!.payload.integration);
  }, 120_000);

  it.each(Array.from({ length: 10 }, (_, i) => i + 1))('moment %i', async () => {
    const atMs = Math.round(150 + random() * runMs * 0.9);
    const repo = fixtureRepository();
    const before = checkoutState(repo);
    const started = await godmode(['orchestra', 'run', takeoverPlan(), '--cwd', repo, '--detach', '--json'], { cwd: repo });
    expect(started.code).toBe(0);
    const runDir = ndjson(started.stdout).find((e) => e.type === 'detached')?.runDir as string;
    runs.push(runDir);
    await new Promise((r) => setTimeout(r, atMs));
    const { pid } = JSON.parse(readFileSync(path.join(runDir, 'lease.json'), 'utf8')) as { pid: number };
    const last = journalOf(runDir).at(-1)?.kind;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // it had already finished: the takeover then only confirms the end
    }
    const took = await godmode(['orchestra', 'takeover', path.basename(runDir), '--cwd', repo, '--json'], { cwd: repo });
    expect(took.stderr, `killed ${atMs} ms in, after ${last}`).toBe('');
    expect(took.code, `killed ${atMs} ms in, after ${last}`).toBe(0);
    await expectNoProcessOfRun(runDir, 10_000);
    expectTakenOverCleanly(repo, runDir, reference);
    expect(checkoutState(repo)).toEqual(before);
  }, 120_000);
});

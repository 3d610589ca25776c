import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claudeTestEnv, findClaudeBinary, startModelStandIn, usageLimitTurn, type ModelStandIn } from '@godmode/model-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuilt, expectNoProcessOfRun, journalOf, killAll, ndjson, processesOfRun } from './helpers.js';
import { waitForEntry } from './takeover-fixture.js';

// Issue 12 §3: a usage limit with a reset time holds the run's claude admissions until the reset (journaled,
// honoured by a takeover) instead of burning the stream's attempts; other adapters run on meanwhile.
const runs: string[] = [];
const standIns: ModelStandIn[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(async () => {
  for (const s of standIns) await s.close();
  for (const dir of runs) killAll(processesOfRun(dir));
});

/**
 * The real binary, with Claude Code logged in by subscription (so it reads the unified rate-limit headers) against
 * the stand-in. One home for the test's commands: the run's trust record (who created it) lives under it.
 */
function godmode(args: string[], cwd: string, model: ModelStandIn, home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...claudeTestEnv({ home, standInUrl: model.url, auth: 'subscription' }), NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, timeout: 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Attempt 1 hits the usage limit (once), attempt 2 writes the deliverable. The reset is 15 s ahead: a limit
 * whose reset has already passed when the worker fails is an ordinary failure, and Claude Code can take seconds
 * to start on a loaded machine.
 */
async function limitedModel(resetsAt: Date): Promise<ModelStandIn> {
  const model = await startModelStandIn({ script: [{ ...usageLimitTurn(resetsAt), repeat: 1 }, { bash: 'printf done > limited.txt' }, { text: 'wrote limited.txt' }] });
  standIns.push(model);
  return model;
}

const limited = { id: 'limited', maxAttempts: 1, worker: { adapter: 'claude', options: { prompt: 'Write limited.txt.', executable: findClaudeBinary(), allowedTools: ['Bash'] } }, deliverables: ['limited.txt'] };

function writePlan(streams: unknown[]): { dir: string; file: string; home: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'godmode-hold-'));
  const home = mkdtempSync(path.join(tmpdir(), 'godmode-claude-home-'));
  const file = path.join(dir, 'plan.json');
  // cpuCeiling 1: the governor never pauses Claude Code on a busy machine (a paused worker could meet the limit after its reset).
  const settings = { cpuCeiling: 1, samplePeriodMs: 200, stallWindowMs: 30_000, budgetMs: 60_000, maxAttempts: 2, retryBaseMs: 200, reapGraceMs: 1_000, resultGraceMs: 500, leaseTtlMs: 2_000, canaries: 0 };
  writeFileSync(file, JSON.stringify({ name: 'hold', repo: false, settings, phases: [{ id: 'p', parallelism: 2, streams }] }, null, 2));
  return { dir, file, home };
}

const seqOf = (journal: Array<Record<string, any>>, kind: string, pick: (p: any) => boolean = () => true) => journal.find((e) => e.kind === kind && pick(e.payload))?.seq as number;
const spawns = (journal: Array<Record<string, any>>, stream: string) => journal.filter((e) => e.kind === 'stream.spawned' && e.payload.stream === stream);
/** The second the limit lifts, as Claude Code reports it (whole seconds). */
const wholeSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;

describe('a usage limit with a reset time', { timeout: 120_000 }, () => {
  it('holds claude admissions until the reset; the limited attempt is not counted; a command stream runs on meanwhile', async () => {
    const resetsAt = new Date(Date.now() + 15_000);
    const model = await limitedModel(resetsAt);
    // The command stream's first attempt fails once the hold is journaled; its retry starts while the hold is in force.
    const steadyCommand = [
      'if [ "$GODMODE_ATTEMPT" = 1 ]; then',
      // The entry's own `"kind":"admissions.held"` (this command, journaled, has it only with escaped quotes).
      `for i in $(seq 300); do grep -q '"kind":"admissions.held"' "$GODMODE_RUN_DIR/journal.jsonl" && exit 1; sleep 0.1; done; exit 1;`,
      'fi; printf ok > steady.txt',
    ].join(' ');
    const steady = { id: 'steady', worker: { adapter: 'command', options: { command: steadyCommand } }, deliverables: ['steady.txt'] };
    const plan = writePlan([limited, steady]);
    const r = await godmode(['orchestra', 'run', plan.file, '--json', '--cwd', plan.dir], plan.dir, model, plan.home);
    const runDir = ndjson(r.stdout).find((e) => e.type === 'outcome')?.runDir as string;
    runs.push(runDir);
    const journal = journalOf(runDir);
    expect(r.code, r.stderr).toBe(0);
    expect(ndjson(r.stdout).find((e) => e.type === 'outcome')).toMatchObject({ shipped: 2, streams: 2 });

    const held = journal.find((e) => e.kind === 'admissions.held');
    expect(held?.payload).toMatchObject({ adapter: 'claude', stream: 'limited', attempt: 1, resetAt: new Date(wholeSecond(resetsAt)).toISOString() });
    expect(Date.parse(held!.payload.until)).toBeGreaterThanOrEqual(wholeSecond(resetsAt));
    expect(held!.payload.reason).toMatch(/limit/i);
    // The limited stream waited for the hold, shown as held with the time; then the hold lifted.
    expect(journal.find((e) => e.kind === 'stream.admission-held' && e.payload.stream === 'limited')?.payload).toMatchObject({ adapter: 'claude', until: held!.payload.until });
    const resumed = seqOf(journal, 'admissions.resumed', (p) => p.adapter === 'claude');
    expect(resumed).toBeGreaterThan(held!.seq);
    // Its second attempt started only after the reset, and the first did not use up its single attempt.
    const limitedSpawns = spawns(journal, 'limited');
    expect(limitedSpawns.map((e) => e.payload.attempt)).toEqual([1, 2]);
    expect(limitedSpawns[1]!.seq).toBeGreaterThan(resumed);
    expect(Date.parse(limitedSpawns[1]!.at)).toBeGreaterThanOrEqual(Date.parse(held!.payload.until));
    expect(journal.some((e) => e.kind === 'stream.not-retried')).toBe(false);
    expect(JSON.parse(readFileSync(path.join(runDir, 'streams/limited/verdict.json'), 'utf8'))).toMatchObject({ status: 'shipped', attempt: 2 });
    // The command stream was not held: its retry was admitted while the claude hold was in force.
    const steadyRetry = spawns(journal, 'steady').find((e) => e.payload.attempt === 2);
    expect(steadyRetry!.seq).toBeGreaterThan(held!.seq);
    expect(steadyRetry!.seq).toBeLessThan(resumed);
    await expectNoProcessOfRun(runDir, 5_000);
  });

  it('a takeover honours a hold still in force: the new conductor starts the next claude attempt only after it lifts', async () => {
    const resetsAt = new Date(Date.now() + 15_000);
    const model = await limitedModel(resetsAt);
    const plan = writePlan([limited]);
    const started = await godmode(['orchestra', 'run', plan.file, '--detach', '--json', '--cwd', plan.dir], plan.dir, model, plan.home);
    expect(started.code, started.stderr).toBe(0);
    const runDir = ndjson(started.stdout).find((e) => e.type === 'detached')?.runDir as string;
    runs.push(runDir);
    await waitForEntry(runDir, 'admissions.held', 1, 60_000);
    const { pid } = JSON.parse(readFileSync(path.join(runDir, 'lease.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');

    const took = await godmode(['orchestra', 'takeover', path.basename(runDir), '--cwd', plan.dir, '--json'], plan.dir, model, plan.home);
    expect(took.code, took.stderr).toBe(0);
    const journal = journalOf(runDir);
    const held = journal.find((e) => e.kind === 'admissions.held')!;
    const takeover = seqOf(journal, 'run.takeover');
    const resumed = journal.find((e) => e.kind === 'admissions.resumed')!;
    expect(resumed.seq).toBeGreaterThan(takeover);
    const second = spawns(journal, 'limited').find((e) => e.payload.attempt === 2)!;
    expect(second.seq).toBeGreaterThan(resumed.seq);
    expect(Date.parse(second.at)).toBeGreaterThanOrEqual(Date.parse(held.payload.until));
    expect(JSON.parse(readFileSync(path.join(runDir, 'streams/limited/verdict.json'), 'utf8'))).toMatchObject({ status: 'shipped', attempt: 2 });
    await expectNoProcessOfRun(runDir, 5_000);
  });
});

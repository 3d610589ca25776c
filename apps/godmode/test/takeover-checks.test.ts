import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoProcessOfRun, godmode, journalOf, killAll, ndjson, processesOfRun } from './helpers.js';
import { fixtureRepository, writer } from './repo-fixture.js';

// Issue 12 §6: the checks of a conductor killed while they run carry the run's mark; whoever takes the run over
// ends them (journaled) and runs the check again itself. Nothing of the run is left running.
const runs: string[] = [];
const leftovers: number[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const dir of runs) killAll(processesOfRun(dir));
  killAll(leftovers);
});

/** Live processes whose working folder is `dir` (a check runs in its stream's work tree), with their start time. */
function processesIn(dir: string): Array<{ pid: number; start: string; command: string }> {
  const found: Array<{ pid: number; start: string; command: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) !== dir) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      found.push({ pid: Number(name), start: fields[19] as string, command: readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0').join(' ').trim() });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function alive(p: { pid: number; start: string }): boolean {
  try {
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && fields[19] === p.start;
  } catch {
    return false;
  }
}

async function until<T>(what: string, get: () => T | null | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a conductor SIGKILLed while a stream check runs, then taken over', { timeout: 120_000 }, () => {
  it('the taker ends the old check (journaled), runs the check again itself, and leaves no process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'godmode-checks-'));
    const firstRun = path.join(dir, 'first-check');
    // The first run of the check hangs (it would for a minute); a second one passes at once.
    const check = `mkdir '${firstRun}' 2>/dev/null && sleep 60; test -f out.txt`;
    const plan = path.join(dir, 'plan.json');
    const settings = { samplePeriodMs: 200, stallWindowMs: 30_000, budgetMs: 60_000, maxAttempts: 1, retryBaseMs: 100, reapGraceMs: 1_000, resultGraceMs: 300, leaseTtlMs: 2_000, canaries: 0 };
    const stream = { id: 's', worker: { adapter: 'command', options: { command: 'printf ok > out.txt' } }, deliverables: ['out.txt'], check };
    writeFileSync(plan, JSON.stringify({ name: 'checks', repo: false, settings, phases: [{ id: 'p', streams: [stream] }] }));

    const started = await godmode(['orchestra', 'run', plan, '--detach', '--json', '--cwd', dir], { cwd: dir });
    expect(started.code, started.stderr).toBe(0);
    const runDir = ndjson(started.stdout).find((e) => e.type === 'detached')?.runDir as string;
    runs.push(runDir);
    const workTree = path.join(runDir, 'streams/s/work');
    // The check is running: its shell and its `sleep 60`, in the stream's work tree.
    await until('the check to start', () => existsSync(firstRun));
    const old = await until('the hanging check', () => {
      const found = processesIn(workTree);
      return found.some((p) => p.command === 'sleep 60') ? found : null;
    });
    leftovers.push(...old.map((p) => p.pid));
    const { pid } = JSON.parse(readFileSync(path.join(runDir, 'lease.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');

    const took = await godmode(['orchestra', 'takeover', path.basename(runDir), '--cwd', dir, '--json'], { cwd: dir });
    expect(took.code, took.stderr).toBe(0);
    // The old check is gone, by pid and start time.
    expect(old.filter(alive)).toEqual([]);
    const journal = journalOf(runDir);
    const takeover = journal.find((e) => e.kind === 'run.takeover')!;
    const ended = journal.find((e) => e.kind === 'check.ended-by-takeover');
    expect(ended?.seq).toBeGreaterThan(takeover.seq);
    expect(ended?.payload.survivors).toBe(0);
    const endedPids = (ended?.payload.processes as Array<{ pid: number; kind: string; label: string; conductor: number }>) ?? [];
    for (const p of old) expect(endedPids.map((e) => e.pid)).toContain(p.pid);
    for (const e of endedPids) expect(e).toMatchObject({ kind: 'check', label: 's', conductor: pid });
    // The taker ran the check again itself: its verdict is after the takeover, with the check passed.
    const verdict = journal.find((e) => e.kind === 'stream.reconciled' && e.seq > takeover.seq);
    expect(verdict?.payload).toMatchObject({ stream: 's', status: 'shipped', evidence: { check: { exitCode: 0, timedOut: false } } });
    expect(journal.at(-1)?.kind).toBe('run.finished');
    await expectNoProcessOfRun(runDir, 5_000);
    expect(processesIn(workTree)).toEqual([]);
  });

  it("the merge queue's test command, killed with its conductor, is ended by the taker and run again; the stream is merged", async () => {
    const repo = fixtureRepository({ dirty: false });
    const dir = mkdtempSync(path.join(tmpdir(), 'godmode-checks-'));
    const firstRun = path.join(dir, 'first-test');
    const plan = path.join(dir, 'plan.json');
    const settings = { samplePeriodMs: 200, stallWindowMs: 30_000, budgetMs: 60_000, maxAttempts: 1, retryBaseMs: 100, reapGraceMs: 1_000, resultGraceMs: 300, leaseTtlMs: 2_000, canaries: 0 };
    // The plan's test hangs the first time it runs in the integration tree (a minute), and passes after.
    const test = `mkdir '${firstRun}' 2>/dev/null && sleep 60; node --test`;
    writeFileSync(plan, JSON.stringify({ name: 'queue-checks', settings, test, phases: [{ id: 'p', streams: [writer('alpha', { 'src/alpha.js': "export const alpha = 'a';\n" })] }] }));

    const started = await godmode(['orchestra', 'run', plan, '--detach', '--json', '--cwd', repo], { cwd: repo });
    expect(started.code, started.stderr).toBe(0);
    const runDir = ndjson(started.stdout).find((e) => e.type === 'detached')?.runDir as string;
    runs.push(runDir);
    await until('the test to start', () => existsSync(firstRun));
    const tree = journalOf(runDir)[0]!.payload.integrationTree as string;
    const old = await until('the hanging test', () => {
      const found = processesIn(tree);
      return found.some((p) => p.command === 'sleep 60') ? found : null;
    });
    leftovers.push(...old.map((p) => p.pid));
    const { pid } = JSON.parse(readFileSync(path.join(runDir, 'lease.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');

    const took = await godmode(['orchestra', 'takeover', path.basename(runDir), '--cwd', repo, '--json'], { cwd: repo });
    expect(took.code, took.stderr).toBe(0);
    expect(old.filter(alive)).toEqual([]);
    const journal = journalOf(runDir);
    const takeover = journal.find((e) => e.kind === 'run.takeover')!;
    const ended = journal.find((e) => e.kind === 'check.ended-by-takeover');
    expect(ended?.seq).toBeGreaterThan(takeover.seq);
    const endedPids = (ended?.payload.processes as Array<{ pid: number; kind: string }>) ?? [];
    for (const p of old) expect(endedPids.map((e) => e.pid)).toContain(p.pid);
    for (const e of endedPids) expect(e.kind).toBe('test');
    // The taker ran the queue's test itself and kept the merge.
    expect(journal.find((e) => e.kind === 'merge.kept' && e.seq > takeover.seq)?.payload).toMatchObject({ stream: 'alpha' });
    await expectNoProcessOfRun(runDir, 5_000);
    expect(processesIn(tree)).toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoProcessOfRun, godmode, journalOf, killAll, ndjson, processesOfRun, quickPlan, repoRoot, runDirs, tempProject } from './helpers.js';

const started: string[] = [];

beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const dir of started) killAll(processesOfRun(dir));
});

function verdictsOf(runDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of journalOf(runDir)) if (e.kind === 'stream.reconciled') out[e.payload.stream] = e.payload.status;
  return out;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lease(runDir: string): { pid: number; token: number; released?: boolean } | null {
  try {
    return JSON.parse(readFileSync(join(runDir, 'lease.json'), 'utf8'));
  } catch {
    return null;
  }
}

const finished = (runDir: string) => journalOf(runDir).some((e) => e.kind === 'run.finished');

/** Every invariant a run must keep, however many conductors it had. */
function expectHealthyJournal(runDir: string): void {
  const entries = journalOf(runDir);
  entries.forEach((e, i) => expect(e.seq).toBe(i + 1));
  const shippedAt = new Map<string, number>();
  for (const e of entries) {
    if (e.kind === 'stream.reconciled' && e.payload.status === 'shipped' && !shippedAt.has(e.payload.stream)) shippedAt.set(e.payload.stream, e.seq);
    if (e.kind === 'stream.spawned') {
      const shipped = shippedAt.get(e.payload.stream);
      expect(shipped === undefined || e.seq < shipped, `stream ${e.payload.stream} spawned again after it shipped (seq ${e.seq})`).toBe(true);
    }
  }
  // Tokens never go down along the journal: a stale conductor's write was refused.
  let token = 0;
  for (const e of entries) {
    if (typeof e.token !== 'number') continue;
    expect(e.token, `entry ${e.seq} carries token ${e.token} after token ${token}`).toBeGreaterThanOrEqual(token);
    token = e.token;
  }
}

describe('godmode orchestra run on the bundled example', () => {
  it('shows 2 shipped, 1 missing and both divergences; status agrees, also with --json', async () => {
    const project = tempProject();
    const run = await godmode(['orchestra', 'run', join(repoRoot, 'examples/three-streams/plan.yaml'), '--json', '--cwd', project]);
    expect(run.stderr).not.toMatch(/Error/);
    // 2 of 3 shipped is a failed outcome: exit 1, as the README's table says.
    expect(run.code).toBe(1);
    const events = ndjson(run.stdout);
    const outcome = events.find((e) => e.type === 'outcome');
    expect(outcome).toMatchObject({ shipped: 2, streams: 3 });
    const [runDir] = runDirs(project);
    started.push(runDir!);
    const receipt = readFileSync(join(runDir!, 'receipt.md'), 'utf8');
    expect(receipt).toMatch(/honest/);
    expect(verdictsOf(runDir!)).toEqual({ honest: 'shipped', silent: 'shipped', boaster: 'missing' });
    const reconciled = events.filter((e) => e.kind === 'stream.reconciled').map((e) => e.payload);
    expect(reconciled.find((v) => v.stream === 'silent')?.divergence).toBe('no-claim');
    expect(reconciled.find((v) => v.stream === 'boaster')?.divergence).toBe('overstated');
    expect(reconciled.find((v) => v.stream === 'honest')?.divergence).toBe('agrees');

    const status = await godmode(['orchestra', 'status', '--json', '--cwd', project]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(Object.fromEntries(parsed.streams.map((s: any) => [s.stream, s.verdict]))).toEqual({ honest: 'shipped', silent: 'shipped', boaster: 'missing' });
    const human = await godmode(['orchestra', 'status', '--cwd', project]);
    expect(human.stdout).toMatch(/boaster\s+build\s+\S+\s+\d+\s+missing/);
    expect(processesOfRun(runDir!)).toEqual([]);
  });
});

describe('malformed plans', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['bad-yaml.yaml', 'name: x\nphases: [\n  - id: ', /line \d+/],
    ['unknown-adapter.yaml', 'name: x\nphases:\n  - id: p\n    streams:\n      - id: s\n        worker: { adapter: telepathy }\n', /phases\[0\]\.streams\[0\]\.worker\.adapter/],
    ['duplicate.yaml', 'name: x\nphases:\n  - id: p\n    streams:\n      - { id: s, worker: { adapter: command, options: { command: "true" } } }\n      - { id: s, worker: { adapter: command, options: { command: "true" } } }\n', /phases\[0\]\.streams\[1\]\.id/],
    ['escape.yaml', 'name: x\nphases:\n  - id: p\n    streams:\n      - { id: s, worker: { adapter: command, options: { command: "true" } }, deliverables: ["../../etc/passwd"] }\n', /phases\[0\]\.streams\[0\]\.deliverables\[0\]/],
  ];
  it.each(cases)('%s gives one clear error naming the file and the path, exit 2', async (name, text, path) => {
    const project = tempProject();
    const file = join(project, name);
    writeFileSync(file, text);
    const r = await godmode(['orchestra', 'run', file, '--cwd', project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(path);
    expect(r.stderr).not.toMatch(/\n\s+at .+\.js:\d+/);
  });

  it('a missing plan file says so', async () => {
    const r = await godmode(['orchestra', 'run', '/nonexistent/plan.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/plan.yaml');
  });
});

describe('takeover', () => {
  async function startDetached(project: string): Promise<string> {
    const r = await godmode(['orchestra', 'run', quickPlan, '--detach', '--json', '--cwd', project]);
    expect(r.code).toBe(0);
    const runDir = ndjson(r.stdout).find((e) => e.type === 'detached')?.runDir as string;
    started.push(runDir);
    return runDir;
  }

  it('a conductor SIGKILLed at random moments: takeover ends with the undisturbed verdicts, nothing shipped runs again, no orphans', async () => {
    // 12 moments in the suite (a minute and a half); GODMODE_CHAOS_ROUNDS=30 or more for a long soak.
    const rounds = Number(process.env.GODMODE_CHAOS_ROUNDS ?? 12);
    const expected = { a: 'shipped', b: 'shipped', c: 'shipped', d: 'shipped' };
    const one = async (round: number) => {
      const project = tempProject();
      const runDir = await startDetached(project);
      await waitFor(() => (lease(runDir)?.pid ?? 0) > 0, 10_000, 'the first lease');
      const killAfter = 200 + ((round * 7919) % 5_000);
      await new Promise((r) => setTimeout(r, killAfter));
      const victim = lease(runDir)!.pid;
      try {
        process.kill(victim, 'SIGKILL');
      } catch {
        // it may have finished already: then the takeover has nothing to do, which is fine
      }
      const t = await godmode(['orchestra', 'takeover', runDir, '--json', '--cwd', project], { timeoutMs: 90_000 });
      expect(t.code, t.stderr).toBe(0);
      await waitFor(() => finished(runDir), 60_000, 'the run to finish');
      const final: Record<string, string> = {};
      for (const e of journalOf(runDir)) if (e.kind === 'stream.signoff') final[e.payload.stream] = e.payload.status;
      expect(final, `round ${round}, killed after ${killAfter} ms`).toEqual(expected);
      expectHealthyJournal(runDir);
      await expectNoProcessOfRun(runDir, 10_000);
    };
    for (let i = 0; i < rounds; i += 3) {
      await Promise.all([one(i), one(i + 1), one(i + 2)].slice(0, Math.min(3, rounds - i)));
    }
  }, 900_000);

  it('two conductors started on one run at once: exactly one acts', async () => {
    const project = tempProject();
    const runDir = await startDetached(project);
    // A second conductor on the same run while the first holds it.
    const second = spawn(process.execPath, [join(repoRoot, 'apps/godmode/dist/conductor/daemon.js'), runDir, 'fresh'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    second.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number>((r) => second.on('exit', (c) => r(c ?? 1)));
    expect(code).toBe(1);
    expect(out).toMatch(/Another conductor holds run/);
    await waitFor(() => finished(runDir), 60_000, 'the run to finish');
    const tokens = new Set(journalOf(runDir).filter((e) => typeof e.token === 'number').map((e) => e.token));
    expect(tokens.size).toBe(1);
    expectHealthyJournal(runDir);
  }, 120_000);

  it('an audit while the conductor lives changes nothing', async () => {
    const project = tempProject();
    const runDir = await startDetached(project);
    await waitFor(() => journalOf(runDir).some((e) => e.kind === 'stream.spawned'), 10_000, 'a spawn');
    const r = await godmode(['orchestra', 'takeover', runDir, '--json', '--cwd', project]);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events.find((e) => e.type === 'audit')).toBeTruthy();
    expect(events.find((e) => e.type === 'outcome')?.audited).toBe(true);
    await waitFor(() => finished(runDir), 60_000, 'the run to finish');
    expect(journalOf(runDir).filter((e) => e.kind === 'run.takeover')).toEqual([]);
  }, 120_000);

  it('a conductor paused past its lease (SIGSTOP) does not act when it wakes', async () => {
    const project = tempProject();
    const runDir = await startDetached(project);
    await waitFor(() => journalOf(runDir).filter((e) => e.kind === 'stream.spawned').length >= 2, 10_000, 'spawns');
    const old = lease(runDir)!;
    process.kill(old.pid, 'SIGSTOP');
    const takeover = godmode(['orchestra', 'takeover', runDir, '--json', '--cwd', project], { timeoutMs: 90_000 });
    await waitFor(() => (lease(runDir)?.token ?? 0) > old.token, 15_000, 'the new lease');
    process.kill(old.pid, 'SIGCONT');
    const t = await takeover;
    expect(t.code, t.stderr).toBe(0);
    const entries = journalOf(runDir);
    const takenAt = entries.find((e) => e.kind === 'run.takeover')!.seq;
    const late = entries.filter((e) => e.seq > takenAt && e.token === old.token);
    expect(late).toEqual([]);
    expectHealthyJournal(runDir);
    await expectNoProcessOfRun(runDir, 15_000);
  }, 120_000);

  it('watch opened and closed three times changes nothing in the run', async () => {
    const project = tempProject();
    const runDir = await startDetached(project);
    for (let i = 0; i < 3; i++) {
      const watcher = spawn(process.execPath, [join(repoRoot, 'apps/godmode/bin/run.js'), 'orchestra', 'watch', runDir, '--json', '--cwd', project], { stdio: ['ignore', 'pipe', 'pipe'] });
      let lines = 0;
      watcher.stdout.on('data', (d: Buffer) => (lines += d.toString().split('\n').filter(Boolean).length));
      await waitFor(() => lines > 0, 20_000, 'the watch to print');
      watcher.kill('SIGINT');
      await new Promise((r) => watcher.on('exit', r));
      expect(lines).toBeGreaterThan(0);
    }
    await waitFor(() => finished(runDir), 60_000, 'the run to finish');
    const signoffs = Object.fromEntries(journalOf(runDir).filter((e) => e.kind === 'stream.signoff').map((e) => [e.payload.stream, e.payload.status]));
    expect(signoffs).toEqual({ a: 'shipped', b: 'shipped', c: 'shipped', d: 'shipped' });
    expect(journalOf(runDir).filter((e) => e.kind === 'run.takeover')).toEqual([]);
    expect(existsSync(join(runDir, 'receipt.md'))).toBe(true);
  }, 120_000);
});

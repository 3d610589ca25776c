import { spawn as spawnChild } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerEvent, WorkerIdentity } from '@godmode/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { parseClaudeLine, registerAdapter, SpawnRefusedError, Supervisor, type SupervisorOptions } from '../src/index.js';

const worker = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/supervise-child.ts', import.meta.url));
const supervisors: Supervisor[] = [];

/** Pids of live processes started by this test file (they carry the supervisor's mark with our pid). */
function ours(): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (env.includes(`GODMODE_TEST_OWNER=${process.pid}`)) found.push(Number(name));
    } catch {
      // gone
    }
  }
  return found;
}

afterAll(async () => {
  for (const s of supervisors) for (const w of s.live()) await s.reap(w, { graceMs: 200 });
  for (const s of supervisors) await s.close();
  const left = ours();
  for (const pid of left) process.kill(pid, 'SIGKILL');
  expect(left, 'processes started by the suite still running').toEqual([]);
});

function make(options: Partial<SupervisorOptions> = {}): Supervisor {
  const s = new Supervisor({ samplePeriodMs: 200, stallWindowMs: 1_500, reapGraceMs: 1_000, resultGraceMs: 800, ...options });
  supervisors.push(s);
  return s;
}

class Recorder {
  readonly events: WorkerEvent[] = [];
  private waiters: Array<{ test: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }> = [];
  constructor(supervisor: Supervisor) {
    void (async () => {
      for await (const e of supervisor.events()) {
        this.events.push(e);
        this.waiters = this.waiters.filter((w) => (w.test(e) ? (w.resolve(e), false) : true));
      }
    })();
  }
  of(identity: WorkerIdentity, type?: WorkerEvent['type']): WorkerEvent[] {
    return this.events.filter((e) => e.worker.pid === identity.pid && (!type || e.type === type));
  }
  wait(identity: WorkerIdentity, type: WorkerEvent['type'], timeoutMs = 30_000): Promise<WorkerEvent> {
    const found = this.of(identity, type)[0];
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event for ${identity.stream} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ test: (e) => e.worker.pid === identity.pid && e.type === type, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }
}

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'godmode-supervisor-'));
}

async function start(s: Supervisor, mode: string[], stream = mode[0] as string) {
  const d = dir();
  return s.spawn({
    stream,
    attempt: 1,
    spec: { adapter: 'command', options: { command: [process.execPath, worker, ...mode] } },
    workdir: join(d, 'work'),
    attemptDir: join(d, 'attempt'),
    env: { GODMODE_TEST_OWNER: String(process.pid), GODMODE_WORKDIR: join(d, 'work') },
  });
}

describe('Supervisor', () => {
  it('spawns in its own group with output in files, and reports output, disk progress and exit', async () => {
    const s = make();
    const r = new Recorder(s);
    const id = await start(s, ['quick']);
    expect(id.pgid).toBe(id.pid);
    expect(id.startTime).toMatch(/^\d+$/);
    const exited = await r.wait(id, 'exited');
    expect(exited).toMatchObject({ how: 'exited', exitCode: 0 });
    const spawned = r.of(id, 'spawned')[0] as Extract<WorkerEvent, { type: 'spawned' }>;
    expect(readFileSync(spawned.logs.stdout, 'utf8')).toBe('hello\n');
    expect(readFileSync(spawned.logs.stderr, 'utf8')).toBe('warn line\n');
    const outputs = r.of(id, 'output') as Array<Extract<WorkerEvent, { type: 'output' }>>;
    expect(outputs.map((o) => o.stream).sort()).toEqual(['stderr', 'stdout']);
  });

  it('reports a truly stuck worker stalled, and a reap leaves nothing of its tree — a SIGTERM-ignoring grandchild and a setsid one included', async () => {
    const s = make();
    const r = new Recorder(s);
    const id = await start(s, ['stuck-tree']);
    const stalled = (await r.wait(id, 'stalled')) as Extract<WorkerEvent, { type: 'stalled' }>;
    const spawned = r.of(id, 'spawned')[0]!;
    // The bound of the issue (window + 2 periods), with slack for a loaded 2-core machine.
    expect(stalled.t - spawned.t).toBeLessThan(1_500 + 2 * 200 + 1_500);
    expect(stalled.reason).toMatch(/no output, no disk writes and no CPU/);
    const before = ours();
    expect(before.length).toBeGreaterThanOrEqual(3);
    const { survivors } = await s.reap(id);
    expect(survivors).toBe(0);
    await r.wait(id, 'exited');
    expect(before.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'latin1').includes(') Z'))).toEqual([]);
    expect(r.of(id, 'exited')[0]).toMatchObject({ how: 'reaped' });
  });

  it('does not stall a silent worker that keeps writing files, nor a silent CPU-bound one inside the spin window', { timeout: 60_000 }, async () => {
    // No ceiling: on a machine other work keeps busy the governor would pause the spinner, and a paused
    // worker's stall clock does not run — this test is about the stall rule alone.
    const s = make({ cpuCeiling: 1 });
    const r = new Recorder(s);
    const writer = await start(s, ['silent-writer']);
    const cpu = await start(s, ['silent-cpu']);
    await new Promise((res) => setTimeout(res, 2_500));
    expect(r.of(writer, 'stalled')).toEqual([]);
    expect(r.of(cpu, 'stalled')).toEqual([]);
    expect(r.of(writer, 'progress').length).toBeGreaterThan(0);
    // 100% CPU with no output and no writes: stalled once the spin window (2 × 1.5 s) has passed.
    const spin = (await r.wait(cpu, 'stalled', 15_000)) as Extract<WorkerEvent, { type: 'stalled' }>;
    expect(spin.reason).toMatch(/spin window/);
    expect(r.of(writer, 'stalled')).toEqual([]);
    await s.reap(writer, { graceMs: 200 });
    await s.reap(cpu, { graceMs: 200 });
  });

  it('refuses to start a worker once its caller may not act, and ends a spawn its caller could not record', async () => {
    let allowed = true;
    const s = make({ mayAct: () => allowed });
    const r = new Recorder(s);
    const id = await start(s, ['silent-writer']);
    allowed = false;
    const before = ours().length;
    await expect(start(s, ['silent-writer'], 'late')).rejects.toSatisfy(SpawnRefusedError.isInstance);
    expect(ours().length).toBe(before);
    // reap asks mayAct and does nothing now; an unrecorded spawn is ended regardless.
    expect(await s.reap(id, { graceMs: 100 })).toEqual({ survivors: 0, refused: true });
    expect(r.of(id, 'reaped')).toEqual([]);
    expect(existsSync(`/proc/${id.pid}`) && !readFileSync(`/proc/${id.pid}/stat`, 'latin1').includes(') Z')).toBe(true);
    await s.endUnrecorded(id);
    await r.wait(id, 'exited');
    expect(existsSync(`/proc/${id.pid}`) && !readFileSync(`/proc/${id.pid}/stat`, 'latin1').includes(') Z')).toBe(false);
  });

  it('admits no new worker while less memory is available than its floor, and pauses or kills nothing for it', async () => {
    // MemAvailable is always below MemTotal, so a floor of 100% is pressure on any machine; 0% is none.
    const tight = make({ memoryFloor: 1 });
    const loose = make({ memoryFloor: 0 });
    expect(tight.memoryAvailable).toBeGreaterThan(0);
    expect(tight.memoryAvailable).toBeLessThan(1);
    expect(tight.canAdmit()).toBe(false);
    expect(loose.canAdmit()).toBe(true);
    const r = new Recorder(tight);
    const id = await start(tight, ['silent-writer']);
    let admitted = false;
    const controller = new AbortController();
    const waiting = tight.waitForAdmission(controller.signal).then(() => (admitted = true), () => 'aborted');
    await new Promise((res) => setTimeout(res, 800));
    expect(admitted).toBe(false);
    controller.abort();
    expect(await waiting).toBe('aborted');
    expect(r.of(id).filter((e) => e.type === 'paused' || e.type === 'reaped' || e.type === 'exited')).toEqual([]);
    await tight.reap(id, { graceMs: 200 });
  });

  it('over its CPU ceiling on load that is not its own, admits one worker at a time instead of none', async () => {
    // A ceiling of 1% is exceeded on any machine: the governor stops admitting after its first sample. With no
    // worker of ours live, the load is someone else's, so one goes in; the next waits until that one has ended.
    const s = make({ cpuCeiling: 0.01 });
    const r = new Recorder(s);
    await new Promise((res) => setTimeout(res, 700));
    await s.waitForAdmission();
    const first = await start(s, ['silent-writer']);
    let admitted = false;
    const second = s.waitForAdmission().then(() => (admitted = true));
    await new Promise((res) => setTimeout(res, 1_000));
    expect(admitted).toBe(false);
    expect(r.of(first).filter((e) => e.type === 'paused' || e.type === 'reaped')).toEqual([]);
    await s.reap(first, { graceMs: 200 });
    await r.wait(first, 'exited');
    await second;
    expect(admitted).toBe(true);
  });

  it('stops a worker that printed its final result but did not exit, as exited-after-result', async () => {
    registerAdapter({
      name: 'fake-claude',
      launch: (spec) => ({ file: process.execPath, args: [worker, String(spec.options.mode)], env: {} }),
      parseLine: (line) => parseClaudeLine(line),
    });
    const s = make();
    const r = new Recorder(s);
    const d = dir();
    const id = await s.spawn({ stream: 'hang', attempt: 1, spec: { adapter: 'fake-claude', options: { mode: 'result-then-hang' } }, workdir: join(d, 'w'), attemptDir: join(d, 'a'), env: { GODMODE_TEST_OWNER: String(process.pid) } });
    expect(await r.wait(id, 'result')).toMatchObject({ isError: false, text: 'done' });
    expect(await r.wait(id, 'exited')).toMatchObject({ how: 'after-result' });
    expect(r.of(id, 'reaped')).toEqual([]);
  });

  it('replays the seed incident: 3 CPU-hot workers and a cool one under an 80% ceiling — paused, never killed, all finish', async () => {
    const s = make({ samplePeriodMs: 250, stallWindowMs: 60_000, cpuCeiling: 0.8 });
    const r = new Recorder(s);
    const ids = await Promise.all([
      start(s, ['hot-writer', '5', '8'], 'hot-1'),
      start(s, ['hot-writer', '5', '8'], 'hot-2'),
      start(s, ['hot-writer', '5', '8'], 'hot-3'),
      start(s, ['silent-writer'], 'cool'),
    ]);
    const [h1, h2, h3, cool] = ids as [WorkerIdentity, WorkerIdentity, WorkerIdentity, WorkerIdentity];
    // Generous: the machine may carry other load the governor cannot remove, and holds ours under the ceiling.
    const exits = await Promise.all([h1, h2, h3].map((id) => r.wait(id, 'exited', 230_000)));
    expect(exits.map((e) => (e as Extract<WorkerEvent, { type: 'exited' }>).exitCode)).toEqual([0, 0, 0]);
    const paused = r.events.filter((e) => e.type === 'paused');
    expect(paused.length).toBeGreaterThan(0);
    expect(r.events.filter((e) => e.type === 'reaped')).toEqual([]);
    await s.reap(cool, { graceMs: 200 });
    // The machine's CPU once the governor acted, for the record (the benchmark measures it on a quiet machine).
    const samples = r.events.filter((e): e is Extract<WorkerEvent, { type: 'sample' }> => e.type === 'sample' && e.t >= paused[0]!.t);
    console.log(`incident replay: ${paused.length} pauses, ${r.events.filter((e) => e.type === 'resumed').length} resumes, ${samples.length} samples after the first pause`);
  }, 240_000);

  it('adopts workers after their supervisor is SIGKILLed: no output line lost, exits seen, a reused pid refused', async () => {
    const d = dir();
    const proc = spawnChild(process.execPath, ['--import', 'tsx', child, d, worker], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GODMODE_TEST_OWNER: String(process.pid) } });
    const line = await new Promise<string>((resolve) => proc.stdout.once('data', (b: Buffer) => resolve(b.toString())));
    const workers = JSON.parse(line) as Array<{ identity: WorkerIdentity; logs: { stdout: string; stderr: string } }>;
    await new Promise((res) => setTimeout(res, 700));
    proc.kill('SIGKILL');
    const s = make();
    const r = new Recorder(s);
    const refused = await s.adopt({ identity: { ...workers[0]!.identity, startTime: '1' }, spec: { adapter: 'command', options: { command: 'x' } }, workdir: d, logs: workers[0]!.logs, offsets: { stdout: 0, stderr: 0 } });
    expect(refused).toBe(false);
    for (const w of workers) {
      expect(await s.adopt({ identity: w.identity, spec: { adapter: 'command', options: { command: 'x' } }, workdir: d, logs: w.logs, offsets: { stdout: 0, stderr: 0 } })).toBe(true);
    }
    for (const w of workers) {
      const exited = await r.wait(w.identity, 'exited', 30_000);
      expect(exited).toMatchObject({ how: 'vanished', exitCode: null });
      const lines = readFileSync(w.logs.stdout, 'utf8').trim().split('\n');
      expect(lines).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i + 1}`));
      expect(s.offsets(w.identity).stdout).toBe(readFileSync(w.logs.stdout).length);
      const bytes = (r.of(w.identity, 'output') as Array<Extract<WorkerEvent, { type: 'output' }>>).reduce((n, e) => n + e.bytes, 0);
      expect(bytes).toBe(readFileSync(w.logs.stdout).length);
    }
  }, 60_000);
});

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSameProcess, registerAdapter, parseClaudeLine } from '../src/index.js';
import { dir, Harness, Recorder, start, worker } from './support/harness.js';

const h = new Harness();
afterAll(async () => {
  expect(await h.cleanup(), 'processes started by the suite still running').toEqual([]);
});

describe('a worker through its life', () => {
  it('is the same process after it renames itself (pid + start time + mark, not the command line), and a mark for another attempt is refused', async () => {
    const s = h.make();
    const r = new Recorder(s);
    const { identity, dir: d } = await start(s, ['renamed'], 'renames');
    await r.wait(identity, 'output');
    expect(isSameProcess(identity)).toBe(true);
    expect(isSameProcess({ ...identity, attempt: 2 })).toBe(false);
    const other = h.make();
    const logs = { stdout: join(d, 'attempt', 'stdout.log'), stderr: join(d, 'attempt', 'stderr.log') };
    const spec = { adapter: 'command', options: { command: 'x' } };
    expect(await other.adopt({ identity: { ...identity, stream: 'someone-else' }, spec, workdir: d, logs, offsets: { stdout: 0, stderr: 0 } })).toBe(false);
    expect(await other.adopt({ identity, spec, workdir: d, logs, offsets: { stdout: 0, stderr: 0 } })).toBe(true);
    await other.reap(identity, { graceMs: 200 });
  });

  it('detects a hung worker with periodic CPU blips as stalled after one window, not after the spin window', { timeout: 30_000 }, async () => {
    const s = h.make({ stallWindowMs: 2_000, spinWindowMs: 8_000 });
    const r = new Recorder(s);
    const { identity } = await start(s, ['blips'], 'blips');
    const stalled = await r.wait(identity, 'stalled', 20_000);
    expect(stalled.reason).not.toMatch(/spin/);
    expect(stalled.reason).toMatch(/under the 2% floor/);
    expect(stalled.quietMs).toBeLessThan(8_000);
    await s.reap(identity, { graceMs: 200 });
  });

  it('counts the writes of a worker that finishes within one sample period (a final disk scan before exited)', async () => {
    const s = h.make({ samplePeriodMs: 10_000 });
    const r = new Recorder(s);
    const { identity } = await start(s, ['write-and-exit'], 'short');
    const exited = await r.wait(identity, 'exited');
    const progress = r.of(identity, 'progress');
    expect(progress.flatMap((p) => p.paths)).toContain('quick.txt');
    expect(progress[0]!.t).toBeLessThanOrEqual(exited.t);
  });

  it('reports a worker godmode stopped on purpose as stopped, not as a failure with code 143', async () => {
    const s = h.make();
    const r = new Recorder(s);
    const { identity } = await start(s, ['stuck'], 'shipped');
    await r.wait(identity, 'output');
    await s.stopGracefully(identity, { graceMs: 500 });
    const exited = await r.wait(identity, 'exited');
    expect(exited).toMatchObject({ stopped: 'stopped', reason: null });
    registerAdapter({ name: 'fake-claude-result', launch: () => ({ file: process.execPath, args: [worker, 'result-then-hang'], env: {} }), parseLine: (line) => parseClaudeLine(line) });
    const d = dir();
    const after = await s.spawn({ stream: 'after', attempt: 1, spec: { adapter: 'fake-claude-result', options: {} }, workdir: join(d, 'w'), attemptDir: join(d, 'a'), env: { GODMODE_TEST_OWNER: String(process.pid) } });
    expect(await r.wait(after, 'exited')).toMatchObject({ how: 'after-result', stopped: 'after-result' });
  });

  it('reports an exhausted budget (paused time not counted) and leaves the reap to its caller', async () => {
    const s = h.make({ stallWindowMs: 60_000 });
    const r = new Recorder(s);
    const d = dir();
    const identity = await s.spawn({ stream: 'budget', attempt: 1, spec: { adapter: 'command', options: { command: [process.execPath, worker, 'stuck'] } }, workdir: join(d, 'w'), attemptDir: join(d, 'a'), env: { GODMODE_TEST_OWNER: String(process.pid) }, budgetMs: 600 });
    expect(await r.wait(identity, 'budget-exceeded')).toMatchObject({ budgetMs: 600 });
    expect(r.of(identity, 'exited')).toEqual([]);
    expect(await s.reap(identity, { graceMs: 200 })).toEqual({ survivors: 0 });
    expect(await r.wait(identity, 'exited')).toMatchObject({ how: 'reaped', stopped: 'reaped' });
  });

  it('turns a worker whose binary is missing into a typed spawn failure with what to do, and never throws', async () => {
    const s = h.make();
    const r = new Recorder(s);
    const d = dir();
    const claude = await s.spawn({ stream: 'no-claude', attempt: 1, spec: { adapter: 'claude', options: { prompt: 'hi', executable: 'godmode-no-such-claude' } }, workdir: join(d, 'w1'), attemptDir: join(d, 'a1') });
    const failed = await r.wait(claude, 'spawn-failed');
    expect(failed.reason).toMatchObject({ code: 'not-found', retryable: false });
    expect(failed.reason.message).toMatch(/^godmode-no-such-claude: not found on PATH — install Claude Code/);
    expect(await r.wait(claude, 'exited')).toMatchObject({ exitCode: null, reason: { code: 'not-found', retryable: false } });
    const cmd = await s.spawn({ stream: 'no-cmd', attempt: 1, spec: { adapter: 'command', options: { command: ['/nonexistent/tool', '--x'] } }, workdir: join(d, 'w2'), attemptDir: join(d, 'a2') });
    expect((await r.wait(cmd, 'spawn-failed')).reason.message).toMatch(/^tool: not found at \/nonexistent\/tool — /);
    expect(s.live()).toEqual([]);
    expect(await s.reap(cmd)).toEqual({ survivors: 0 });
  });
});

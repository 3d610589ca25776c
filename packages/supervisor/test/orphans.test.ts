import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRunWorkers, sweepRun } from '../src/index.js';
import { alive, dir, Harness, ours, Recorder, start } from './support/harness.js';

const h = new Harness();
afterAll(async () => {
  expect(await h.cleanup(), 'processes started by the suite still running').toEqual([]);
});

describe('no orphans after a worker that exits by itself', () => {
  it('sweeps a setsid child and a double-forked grandchild that stays in the group, journaled as swept, before exited', async () => {
    const s = h.make({ exitGraceMs: 600 });
    const r = new Recorder(s);
    const { identity } = await start(s, "setsid sh -c 'sleep 300' &\n(sh -c 'sleep 300 &')\nsleep 0.3\nexit 0", 'leaves-children');
    const exited = await r.wait(identity, 'exited');
    expect(exited).toMatchObject({ exitCode: 0, how: 'exited' });
    const swept = r.of(identity, 'swept');
    expect(swept).toHaveLength(1);
    const sweep = swept[0]!;
    expect(sweep.processes.length).toBeGreaterThanOrEqual(2);
    expect(sweep.processes.every((p) => p.command.includes('sleep'))).toBe(true);
    expect(sweep.t).toBeLessThanOrEqual(exited.t);
    expect(r.events.indexOf(sweep)).toBeLessThan(r.events.indexOf(exited));
    for (const p of sweep.processes) expect(alive(p.pid), `pid ${p.pid} (${p.command})`).toBe(false);
    expect(ours()).toEqual([]);
  });

  it('sweeps a detached child the way Claude Code leaves one (new session, stdio ignored, unref)', async () => {
    const s = h.make({ exitGraceMs: 600 });
    const r = new Recorder(s);
    const { identity } = await start(s, ['detached-child'], 'claude-like');
    await r.wait(identity, 'exited');
    expect(r.of(identity, 'swept')[0]?.processes.length).toBe(1);
    expect(ours()).toEqual([]);
  });

  it('counts a deliverable a background child writes 2 s after its leader exited: the sweep and exited wait for it', { timeout: 60_000 }, async () => {
    const s = h.make();
    const r = new Recorder(s);
    const { identity, work } = await start(s, "(sleep 2; echo late > late.txt; sleep 300) &\nexit 0", 'late-writer');
    const exited = await r.wait(identity, 'exited', 60_000);
    expect(readFileSync(join(work, 'late.txt'), 'utf8')).toBe('late\n');
    const progress = r.of(identity, 'progress').filter((p) => p.paths.includes('late.txt'));
    expect(progress.length).toBe(1);
    expect(progress[0]!.t).toBeLessThanOrEqual(exited.t);
    expect(r.of(identity, 'swept')).toHaveLength(1);
    expect(ours()).toEqual([]);
  });

  it('emits exited at once, with no sweep, for a worker that leaves nothing behind', async () => {
    const s = h.make({ exitGraceMs: 60_000 });
    const r = new Recorder(s);
    const { identity } = await start(s, ['quick'], 'clean');
    await r.wait(identity, 'exited', 20_000);
    expect(r.of(identity, 'swept')).toEqual([]);
  });

  it('sweepRun ends every process carrying a run directory, living leaders and their setsid children alike', async () => {
    const s = h.make();
    const runDir = dir();
    const a = await start(s, "setsid sh -c 'sleep 300' &\nsleep 300", 'run-a', { GODMODE_RUN_DIR: runDir });
    const b = await start(s, ['stuck-tree'], 'run-b', { GODMODE_RUN_DIR: runDir });
    const other = await start(s, ['stuck'], 'other-run', { GODMODE_RUN_DIR: `${runDir}-other` });
    await new Promise((res) => setTimeout(res, 500));
    // The leaders of the run, as a taking-over conductor finds them (through /proc or ps alike).
    expect(findRunWorkers(runDir).map((f) => [f.stream, f.attempt, f.identity.pid]).sort()).toEqual([['run-a', 1, a.identity.pid], ['run-b', 1, b.identity.pid]]);
    const swept = await sweepRun(runDir, { graceMs: 300 });
    expect(swept.processes.length).toBeGreaterThanOrEqual(5);
    expect(swept.survivors).toBe(0);
    expect(alive(a.identity.pid)).toBe(false);
    expect(alive(b.identity.pid)).toBe(false);
    expect(alive(other.identity.pid)).toBe(true);
    expect(existsSync(runDir)).toBe(true);
    await s.reap(other.identity, { graceMs: 200 });
  });
});

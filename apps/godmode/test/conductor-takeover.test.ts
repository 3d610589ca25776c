import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoProcessOfRun, godmode, journalOf, ndjson, repoRoot, tempProject } from './helpers.js';
import { detachedRuns, expectHealthyJournal, finished, lease, waitFor } from './run-invariants.js';

// Takeovers of a detached conductor: two at once, an audit, SIGSTOP past its lease, watchers coming and going.
// SIGKILL at random moments is conductor-chaos.test.ts: files of their own, so the suite runs them side by side.
const startDetached = detachedRuns();

describe('takeover', () => {
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

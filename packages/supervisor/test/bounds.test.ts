import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Harness, Recorder, start, withEnv } from './support/harness.js';

const h = new Harness();
afterAll(async () => {
  expect(await h.cleanup(), 'processes started by the suite still running').toEqual([]);
});

describe('bounds', () => {
  it('pauses and resumes everything carrying the attempt mark, setsid descendants included', { timeout: 60_000 }, async () => {
    const s = h.make({ cpuCeiling: 0.05, samplePeriodMs: 250, stallWindowMs: 60_000 });
    const r = new Recorder(s);
    // Tagged with this process's pid: the suite runs twice at once (proc and ps), with the same stream names.
    const a = await start(s, ['setsid-spinner'], 'spin-a', { GODMODE_TEST_STREAM: `spin-a-${process.pid}` });
    const b = await start(s, ['setsid-spinner'], 'spin-b', { GODMODE_TEST_STREAM: `spin-b-${process.pid}` });
    const paused = await Promise.race([r.wait(a.identity, 'paused', 30_000), r.wait(b.identity, 'paused', 30_000)]);
    const stream = paused.worker.stream;
    // Signals are delivered asynchronously: on a loaded machine a stop can take a moment to show.
    let members = withEnv(`GODMODE_TEST_STREAM=${stream}-${process.pid}`);
    for (let i = 0; i < 40 && members.some((m) => m.state !== 'T') && r.of(paused.worker, 'resumed').length === 0; i++) {
      await new Promise((res) => setTimeout(res, 50));
      members = withEnv(`GODMODE_TEST_STREAM=${stream}-${process.pid}`);
    }
    expect(members.length).toBeGreaterThanOrEqual(2);
    // The setsid'd spinner is in a session of its own: stopping the group alone would leave it running.
    expect(members.filter((m) => m.state !== 'T'), JSON.stringify(members)).toEqual([]);
    await r.wait(paused.worker, 'resumed', 30_000);
    expect(withEnv(`GODMODE_TEST_STREAM=${stream}-${process.pid}`).filter((m) => m.state === 'T')).toEqual([]);
    await s.reap(a.identity, { graceMs: 200 });
    await s.reap(b.identity, { graceMs: 200 });
  });

  it('follows 200 MiB of output without a newline: every byte counted, the line after it seen, the log kept under its cap', { timeout: 120_000 }, async () => {
    const cap = 8 << 20;
    const s = h.make({ logCapBytes: cap, samplePeriodMs: 200 });
    const r = new Recorder(s);
    const { identity } = await start(s, ['flood', '200'], 'flood');
    const exited = await r.wait(identity, 'exited', 100_000);
    expect(exited.exitCode).toBe(0);
    const outputs = r.of(identity, 'output').filter((o) => o.stream === 'stdout');
    expect(outputs.reduce((n, o) => n + o.bytes, 0)).toBe(200 * (1 << 20) + 6);
    expect(outputs.at(-1)!.line).toBe('done');
    const spawned = r.of(identity, 'spawned')[0]!;
    expect(statSync(spawned.logs.stdout).size).toBeLessThanOrEqual(cap);
  });
});

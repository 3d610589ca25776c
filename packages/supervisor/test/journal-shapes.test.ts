import { join } from 'node:path';
import { governorSampleSchema, workerEventSchema, type GovernorSample } from '@godmode/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { dir, Harness, Recorder, start } from './support/harness.js';

const h = new Harness();
afterAll(async () => {
  expect(await h.cleanup(), 'processes started by the suite still running').toEqual([]);
});

describe('what a supervisor emits is what the protocol says the journal holds', () => {
  it('every event of a worker that leaves children behind (swept) and of one that cannot start (spawn-failed) passes workerEventSchema', async () => {
    const s = h.make({ exitGraceMs: 600 });
    const r = new Recorder(s);
    const { identity } = await start(s, "setsid sh -c 'sleep 300' &\nsleep 0.3\nexit 0", 'leaves-children');
    await r.wait(identity, 'exited');
    expect(r.of(identity, 'swept')).toHaveLength(1);
    const d = dir();
    const missing = await s.spawn({ stream: 'no-cmd', attempt: 1, spec: { adapter: 'command', options: { command: ['/nonexistent/tool'] } }, workdir: join(d, 'w'), attemptDir: join(d, 'a') });
    await r.wait(missing, 'exited');
    expect(r.of(missing, 'spawn-failed')).toHaveLength(1);
    const refused = r.events.map((e) => ({ type: e.type, result: workerEventSchema.safeParse(e) })).filter((x) => !x.result.success);
    expect(refused.map((x) => `${x.type}: ${x.result.error?.message}`)).toEqual([]);
    const types = new Set(r.events.map((e) => e.type));
    for (const type of ['spawned', 'swept', 'exited', 'spawn-failed'] as const) expect(types.has(type), type).toBe(true);
  });

  it('samples the machine for the governor: valid governor samples, the live workers counted, ended by close', async () => {
    const s = h.make();
    const samples: GovernorSample[] = [];
    const reading = (async () => {
      for await (const sample of s.governorSamples()) samples.push(sample);
    })();
    const { identity } = await start(s, 'sleep 30', 'sleeper');
    const deadline = Date.now() + 20_000;
    while (!samples.some((x) => x.workers === 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await s.reap(identity, { graceMs: 200 });
    await s.close();
    await reading; // the stream ends with the supervisor
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) expect(governorSampleSchema.parse(sample)).toEqual(sample);
    expect(samples.some((x) => x.workers === 1 && x.paused === 0 && x.ceiling === s.options.cpuCeiling)).toBe(true);
    expect(samples.map((x) => x.t)).toEqual([...samples.map((x) => x.t)].sort((a, b) => a - b));
  });
});

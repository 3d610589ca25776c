import { describe, expect, it } from 'vitest';
import { governorSampleSchema, workerEventSchema, type WorkerEvent } from './index.js';

const base = { worker: { stream: 's', attempt: 1, pid: 4242, startTime: '123', cmdline: 'sh -c x', pgid: 4242 }, t: 1, at: '2026-12-01T00:00:00.000Z' };
const notFound = { code: 'not-found', message: 'tool: not found at /nonexistent/tool — install it', retryable: false };

describe('workerEventSchema: every event the supervisor emits, as the journal keeps it', () => {
  it.each<[string, unknown, boolean]>([
    ['swept, by tree and by mark', { ...base, type: 'swept', processes: [{ pid: 10, command: 'sleep 300', via: 'tree' }, { pid: 11, command: 'node x', via: 'mark' }], survivors: 0, lingeredMs: 600 }, true],
    ['swept, nothing left', { ...base, type: 'swept', processes: [], survivors: 0, lingeredMs: 0 }, true],
    ['swept, a process known some other way', { ...base, type: 'swept', processes: [{ pid: 10, command: 'sleep', via: 'guess' }], survivors: 0, lingeredMs: 0 }, false],
    ['swept without survivors', { ...base, type: 'swept', processes: [], lingeredMs: 0 }, false],
    ['swept with negative survivors', { ...base, type: 'swept', processes: [], survivors: -1, lingeredMs: 0 }, false],
    ['spawn-failed', { ...base, type: 'spawn-failed', reason: notFound }, true],
    ['spawn-failed with a usage limit lifting', { ...base, type: 'spawn-failed', reason: { code: 'usage-limit', message: 'limit', retryable: true, resetAt: '2026-12-01T05:00:00.000Z' } }, true],
    ['spawn-failed without a reason', { ...base, type: 'spawn-failed' }, false],
    ['spawn-failed of a worker that never started (pid 0, as the supervisor names it)', { ...base, worker: { ...base.worker, pid: 0, pgid: 0, startTime: 'not-started-1-1764590000000' }, type: 'spawn-failed', reason: notFound }, true],
    ['its exited (pid 0)', { ...base, worker: { ...base.worker, pid: 0, pgid: 0, startTime: 'not-started-1-1764590000000' }, type: 'exited', how: 'exited', exitCode: null, signal: null, stopped: null, reason: notFound }, true],
    ['a negative pid', { ...base, worker: { ...base.worker, pid: -1 }, type: 'spawn-failed', reason: notFound }, false],
    ['spawn-failed with an unknown code', { ...base, type: 'spawn-failed', reason: { ...notFound, code: 'meh' } }, false],
    ['exited as a supervisor writes it (stopped, reason)', { ...base, type: 'exited', how: 'exited', exitCode: null, signal: null, stopped: null, reason: notFound }, true],
    ['exited, reaped on purpose', { ...base, type: 'exited', how: 'reaped', exitCode: 143, signal: null, stopped: 'reaped', reason: null }, true],
    ['exited as older journals have it (no stopped, no reason)', { ...base, type: 'exited', how: 'exited', exitCode: 0, signal: null }, true],
    ['exited, stopped for an unknown reason', { ...base, type: 'exited', how: 'exited', exitCode: 0, signal: null, stopped: 'bored' }, false],
    ['an unknown type', { ...base, type: 'teleported' }, false],
  ])('%s → valid: %s', (_case, event, valid) => {
    expect(workerEventSchema.safeParse(event).success).toBe(valid);
  });

  it('keeps what it validates: a swept and a spawn-failed event parse to themselves', () => {
    const swept = { ...base, type: 'swept', processes: [{ pid: 10, command: 'sleep 300', via: 'tree' }], survivors: 1, lingeredMs: 30_000 } as const;
    const failed = { ...base, type: 'spawn-failed', reason: notFound } as const;
    expect(workerEventSchema.parse(swept)).toEqual(swept);
    expect(workerEventSchema.parse(failed)).toEqual(failed);
    const types: Array<WorkerEvent['type']> = ['swept', 'spawn-failed'];
    expect(types).toHaveLength(2);
  });
});

describe('governorSampleSchema: the machine as the governor saw it (governor.sample)', () => {
  const sample = { t: 5, at: '2026-12-01T00:00:01.000Z', cpu: 0.734, ceiling: 0.8, paused: 1, workers: 3 };
  it.each<[string, unknown, boolean]>([
    ['a sample', sample, true],
    ['an unreadable machine CPU', { ...sample, cpu: null }, true],
    ['thermal throttling', { ...sample, throttled: true }, true],
    ['throttled: false (absent instead)', { ...sample, throttled: false }, false],
    ['CPU over 100%', { ...sample, cpu: 1.01 }, false],
    ['a ceiling in percent', { ...sample, ceiling: 80 }, false],
    ['a fractional paused count', { ...sample, paused: 0.5 }, false],
    ['no workers count', { t: 5, at: sample.at, cpu: 0.5, ceiling: 0.8, paused: 0 }, false],
  ])('%s → valid: %s', (_case, value, valid) => {
    expect(governorSampleSchema.safeParse(value).success).toBe(valid);
  });
});

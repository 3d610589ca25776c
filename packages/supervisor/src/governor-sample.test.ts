import type { GovernorSample } from '@godmode/protocol';
import { governorSampleSchema } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { GovernorSampler, governorSampleDue } from './governor-sample.js';

const s = (over: Partial<GovernorSample> = {}): GovernorSample => ({ t: 1, at: '2026-12-01T00:00:00.000Z', cpu: 0.5, ceiling: 0.8, paused: 0, workers: 3, ...over });

describe('governorSampleDue: which governor samples are journaled', () => {
  it.each<[string, GovernorSample | null, number, GovernorSample, boolean]>([
    ['the first sample', null, 0, s(), true],
    ['nothing moved', s(), 1, s(), false],
    ['CPU moved 4.9 points', s({ cpu: 0.5 }), 1, s({ cpu: 0.549 }), false],
    ['CPU moved exactly 5 points up', s({ cpu: 0.5 }), 1, s({ cpu: 0.55 }), true],
    ['CPU moved exactly 5 points down', s({ cpu: 0.5 }), 1, s({ cpu: 0.45 }), true],
    ['CPU moved 30 points', s({ cpu: 0.5 }), 3, s({ cpu: 0.8 }), true],
    ['a worker was paused', s(), 1, s({ paused: 1 }), true],
    ['a worker was resumed', s({ paused: 2 }), 1, s({ paused: 1 }), true],
    ['a worker started', s(), 1, s({ workers: 4 }), true],
    ['the ceiling changed', s(), 1, s({ ceiling: 0.7 }), true],
    ['thermal throttling began', s(), 1, s({ throttled: true }), true],
    ['thermal throttling ended', s({ throttled: true }), 1, s(), true],
    ['the CPU became unreadable', s(), 1, s({ cpu: null }), true],
    ['the CPU became readable', s({ cpu: null }), 1, s({ cpu: 0.5 }), true],
    ['the CPU stays unreadable', s({ cpu: null }), 1, s({ cpu: null }), false],
    ['nine quiet periods', s(), 9, s({ cpu: 0.52 }), false],
    ['the tenth quiet period: the heartbeat', s(), 10, s({ cpu: 0.52 }), true],
  ])('%s → %s', (_case, last, periodsSince, next, due) => {
    expect(governorSampleDue(last, periodsSince, next)).toBe(due);
  });

  it('a steady machine journals one sample in ten periods; a swinging one every period', () => {
    const steady = new GovernorSampler();
    const sent = Array.from({ length: 30 }, (_, i) => steady.offer(s({ t: i, cpu: 0.5 + (i % 2) * 0.01 }))).filter(Boolean).length;
    expect(sent).toBe(3);
    const swinging = new GovernorSampler();
    expect(Array.from({ length: 30 }, (_, i) => swinging.offer(s({ t: i, cpu: i % 2 === 0 ? 0.3 : 0.9 }))).every(Boolean)).toBe(true);
  });

  it('every sample it sends is valid against the protocol schema', () => {
    for (const sample of [s(), s({ cpu: null }), s({ throttled: true, paused: 2 })]) expect(governorSampleSchema.parse(sample)).toEqual(sample);
    expect(governorSampleSchema.safeParse(s({ cpu: 1.2 })).success).toBe(false);
    expect(governorSampleSchema.safeParse(s({ paused: -1 })).success).toBe(false);
  });
});

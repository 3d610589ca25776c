import { planSchema, type JournalEntry, type PlanInput } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { RunViewBuilder } from './run-view-builder.js';

const input: PlanInput = {
  name: 'governor-series',
  settings: { samplePeriodMs: 1000, canaries: 0, cpuCeiling: 0.8 },
  phases: [{ id: 'p', streams: [{ id: 'a', worker: { adapter: 'command', options: { command: 'true' } }, deliverables: ['a.txt'] }] }],
};
const start = Date.parse('2026-12-01T10:00:00.000Z');
let seq = 0;
const entry = (kind: string, payload: unknown, afterMs: number): JournalEntry => ({ seq: ++seq, at: new Date(start + afterMs).toISOString(), kind, payload });
const sample = (cpu: number | null, paused: number, afterMs: number, ceiling = 0.8) => entry('governor.sample', { t: afterMs, at: '', cpu, ceiling, paused, workers: 1 }, afterMs);

describe('the machine chart from governor.sample entries', () => {
  it('keeps each sample with a CPU reading (seconds since the run started), and patches send only what is new', () => {
    seq = 0;
    const b = new RunViewBuilder('run-1', planSchema.parse(input), 2);
    b.entry(entry('run.started', {}, 0));
    b.entry(sample(0.42, 0, 1_000));
    b.entry(sample(null, 0, 2_000)); // unreadable: nothing to draw
    b.entry(sample(0.93, 1, 3_000));
    b.patch();
    expect(b.snapshot().machine.governor).toEqual({ gen: 0, t: [1, 3], cpu: [0.42, 0.93], ceiling: [0.8, 0.8], paused: [0, 1] });
    b.entry(sample(0.61, 0, 4_000, 0.7));
    expect(b.patch().machine.governor).toEqual({ gen: 0, from: 2, t: [4], cpu: [0.61], ceiling: [0.7], paused: [0] });
    expect(b.patch().machine.governor).toMatchObject({ from: 3, t: [] });
  });

  it('clamps what a damaged or foreign line says instead of drawing it off the chart', () => {
    seq = 0;
    const b = new RunViewBuilder('run-2', planSchema.parse(input), 2);
    b.entry(entry('run.started', {}, 0));
    b.entry(entry('governor.sample', { cpu: 7, ceiling: 'high', paused: -3 }, 1_000));
    b.entry(entry('governor.sample', { cpu: 'busy' }, 2_000));
    expect(b.snapshot().machine.governor).toEqual({ gen: 0, t: [1], cpu: [1], ceiling: [0.8], paused: [0] });
  });
});

import { planSchema, type JournalEntry, type PlanInput } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { RunViewBuilder } from './run-view-builder.js';

const input: PlanInput = {
  name: 'admission-held',
  phases: [{ id: 'p', streams: [{ id: 'api', worker: { adapter: 'claude', options: { prompt: 'go' } }, deliverables: ['a.txt'] }] }],
};
let seq = 0;
const entry = (kind: string, payload: unknown): JournalEntry => ({ seq: ++seq, at: '2026-12-01T10:00:00.000Z', kind, payload });

describe('a stream waiting for a usage-limit hold', () => {
  it('shows as waiting to retry, with until when and why (worker text as text), and runs again on its next spawn', () => {
    seq = 0;
    const b = new RunViewBuilder('run-1', planSchema.parse(input), 2);
    b.entry(entry('run.started', {}));
    b.entry(entry('stream.spawned', { stream: 'api', attempt: 1, identity: { pid: 10 } }));
    b.entry(entry('stream.admission-held', { stream: 'api', attempt: 2, adapter: 'claude', until: '2026-12-01T10:05:02.000Z', reason: '<b>limit</b>' }));
    expect(b.snapshot().rows[0]).toMatchObject({ state: 'retry-wait', why: 'held until 2026-12-01T10:05:02.000Z (claude usage limit)' });
    b.entry(entry('stream.spawned', { stream: 'api', attempt: 2, identity: { pid: 11 } }));
    expect(b.snapshot().rows[0]).toMatchObject({ state: 'running', why: null, attempt: 2 });
  });
});

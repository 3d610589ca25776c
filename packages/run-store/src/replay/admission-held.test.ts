import { parsePlan, type JournalEntry } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { replayEntries } from './replay.js';

const plan = parsePlan(
  `
name: held
phases:
  - id: build
    streams:
      - id: api
        worker: { adapter: claude, options: { prompt: write api.ts } }
        deliverables: [api.ts]
`,
  'plan.yaml',
);

const identity = { stream: 'api', attempt: 1, pid: 101, startTime: '1101', cmdline: 'claude', pgid: 101 };
const until = '2026-12-01T13:05:02.000Z';

function replay(kinds: Array<[string, unknown]>) {
  const entries: JournalEntry[] = kinds.map(([kind, payload], i) => ({ seq: i + 1, at: '2026-12-01T13:00:00.000Z', kind, payload }));
  return replayEntries('r1', plan, { entries }).streams.api;
}

// Issue 12 §3: a stream waiting for a hold on its adapter's admissions (a usage limit) shows as held with the time.
describe('replay of a hold on admissions', () => {
  it.each([
    ['waiting for the hold', [['stream.admission-held', { stream: 'api', attempt: 2, adapter: 'claude', until, reason: 'limit' }]], 'held', until],
    ['the next attempt started', [['stream.admission-held', { stream: 'api', attempt: 2, adapter: 'claude', until, reason: 'limit' }], ['stream.spawned', { stream: 'api', attempt: 2, identity: { ...identity, attempt: 2 } }]], 'running', undefined],
    ['the run-wide hold alone names no waiting stream', [['admissions.held', { adapter: 'claude', until, reason: 'limit', stream: 'api', attempt: 1 }]], 'running', undefined],
  ] as const)('%s', (_name, extra, state, heldUntil) => {
    const api = replay([['stream.spawned', { stream: 'api', attempt: 1, identity }], ...(extra as unknown as Array<[string, unknown]>)]);
    expect(api?.state).toBe(state);
    expect(api?.heldUntil).toBe(heldUntil);
  });
});

import { describe, expect, it } from 'vitest';
import { applyEntry, describeView, initialViews } from './stream-view.js';

const entry = (seq: number, kind: string, payload: unknown) => ({ seq, at: new Date(0).toISOString(), kind, payload });

// Issue 12 §3: a stream waiting for a usage limit's reset shows as held, with the time it lifts.
describe('stream view of a hold on admissions', () => {
  it('shows held until the time, then running again at the next spawn', () => {
    const views = initialViews([{ id: 'p', streams: [{ id: 'a' }] }]);
    applyEntry(views, entry(1, 'stream.spawned', { stream: 'a', attempt: 1, identity: { pid: 42 } }));
    applyEntry(views, entry(2, 'stream.admission-held', { stream: 'a', attempt: 2, adapter: 'claude', until: '2026-12-01T13:05:02.000Z', reason: "You've hit your limit\u001b[2J" }));
    expect(views.get('a')?.state).toBe('held');
    const line = describeView(views.get('a')!);
    expect(line).toMatch(/^held until 2026-12-01 13:05:02 UTC \(claude usage limit\)/);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    applyEntry(views, entry(3, 'stream.spawned', { stream: 'a', attempt: 2, identity: { pid: 43 } }));
    expect(views.get('a')).toMatchObject({ state: 'running', held: null, attempt: 2 });
  });

  it('a stream already signed off is not shown as held', () => {
    const views = initialViews([{ id: 'p', streams: [{ id: 'a' }] }]);
    applyEntry(views, entry(1, 'stream.signoff', { stream: 'a', status: 'shipped', sentence: 'done' }));
    expect(applyEntry(views, entry(2, 'stream.admission-held', { stream: 'a', attempt: 2, adapter: 'claude', until: 'x', reason: 'r' }))).toBeNull();
    expect(views.get('a')?.state).toBe('shipped');
  });
});

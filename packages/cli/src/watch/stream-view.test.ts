import { describe, expect, it } from 'vitest';
import { applyEntry, describeView, initialViews } from './stream-view.js';

const entry = (seq: number, kind: string, payload: unknown) => ({ seq, at: new Date(0).toISOString(), kind, payload });

describe('stream view', () => {
  it('folds spawn, pause, output and verdict into one line per stream', () => {
    const views = initialViews([{ id: 'p', streams: [{ id: 'a' }, { id: 'b' }] }]);
    applyEntry(views, entry(1, 'stream.spawned', { stream: 'a', attempt: 1, identity: { pid: 42 } }));
    applyEntry(views, entry(2, 'worker.output', { worker: { stream: 'a' }, bytes: 10 }));
    applyEntry(views, entry(3, 'worker.paused', { worker: { stream: 'a' }, reason: 'cpu' }));
    expect(views.get('a')?.state).toBe('paused');
    applyEntry(views, entry(4, 'stream.reconciled', { stream: 'a', status: 'shipped', sentence: 'disk has 1 of 1' }));
    const a = views.get('a');
    expect(a?.state).toBe('shipped');
    expect(a?.pauses).toBe(1);
    expect(describeView(a!)).toContain('disk has 1 of 1');
    expect(views.get('b')?.state).toBe('pending');
    expect(applyEntry(views, entry(5, 'worker.output', { worker: { stream: 'zzz' }, bytes: 1 }))).toBeNull();
  });

  it('shows why a worker failed and that Claude Code retries the API, with worker text made inert', () => {
    const views = initialViews([{ id: 'p', streams: [{ id: 'a' }] }]);
    applyEntry(views, entry(1, 'stream.spawned', { stream: 'a', attempt: 1, identity: { pid: 42 } }));
    applyEntry(views, entry(2, 'worker.activity', { worker: { stream: 'a' }, kind: 'system:api_retry', detail: { attempt: 2, max_retries: 10, error_status: 529, error: 'overloaded' } }));
    expect(describeView(views.get('a')!)).toContain('retrying the API (attempt 2/10, 529 overloaded)');
    applyEntry(views, entry(3, 'worker.result', { worker: { stream: 'a' }, isError: true, subtype: 'success', text: 'API Error: 529\u001b[2J' }));
    applyEntry(views, entry(4, 'stream.signoff', { stream: 'a', status: 'missing', sentence: 'nothing on disk\n  ✓ forged' }));
    const line = describeView(views.get('a')!);
    expect(line).toContain('failed: API Error: 529\\e[2J');
    expect(line).not.toContain('retrying');
    expect(line).not.toMatch(/[\u0000-\u001f]/);
  });
});

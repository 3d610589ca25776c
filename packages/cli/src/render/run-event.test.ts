import { describe, expect, it } from 'vitest';
import { renderRunEvent } from './run-event.js';

const ESC = '\u001b';
const hostile = `${ESC}[2J${ESC}]0;pwned\u0007\r  ✓ forged shipped\n\u202e`;
const unsafe = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const worker = { stream: 'evil', attempt: 1, pid: 4242 };

function lines(event: Record<string, unknown>): string[] {
  const out: string[] = [];
  renderRunEvent(event, (line) => out.push(line));
  return out;
}

describe('renderRunEvent', () => {
  const events: Array<[string, Record<string, unknown>]> = [
    ['run.started', { runId: 'r', plan: hostile, streams: 1, runDir: hostile }],
    ['phase.started', { phase: hostile }],
    ['stream.spawned', { stream: hostile, attempt: 1, identity: { pid: 1 } }],
    ['worker.paused', { worker, reason: hostile }],
    ['worker.stalled', { worker, reason: hostile }],
    ['worker.exited', { worker, how: hostile, exitCode: 1 }],
    ['worker.error', { worker, code: 'x', message: hostile }],
    ['worker.result', { worker, isError: true, subtype: 'success', text: hostile }],
    ['stream.reconciled', { stream: 'evil', status: 'missing', sentence: hostile }],
    ['run.takeover', { token: 2, reason: hostile }],
    ['merge.finished', { merged: [hostile], conflicts: [] }],
    ['admissions.held', { adapter: hostile, until: hostile, reason: hostile }],
    ['admissions.resumed', { adapter: hostile }],
    ['stream.admission-held', { stream: hostile, until: hostile, adapter: 'claude' }],
  ];
  it.each(events)('%s shows worker text with visible escapes, on one line', (kind, payload) => {
    const out = lines({ kind, payload });
    expect(out.length).toBeGreaterThan(0);
    for (const line of out) {
      // Colours of our own are allowed (NO_COLOR is not set in every test run): strip SGR we emit, then check.
      expect(line.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(unsafe);
    }
  });

  it('shows why a Claude worker failed, from the journal', () => {
    expect(lines({ kind: 'worker.error', payload: { worker, code: 'not-logged-in', message: 'Not logged in · Please run /login' } }).join('\n')).toContain('evil failed: not logged in: Not logged in · Please run /login');
    expect(lines({ kind: 'worker.result', payload: { worker, isError: true, subtype: 'success', text: 'API Error: 529 Overloaded' } }).join('\n')).toContain('evil failed: API Error: 529 Overloaded');
    expect(lines({ kind: 'worker.rate-limited', payload: { worker, resetsAt: '2026-12-01T12:00:00.000Z' } }).join('\n')).toContain('usage limit reached; resets at 2026-12-01T12:00:00.000Z');
    expect(lines({ kind: 'worker.result', payload: { worker, isError: false, subtype: 'success', text: 'ok' } })).toEqual([]);
  });

  it('says which stream waits for a usage-limit hold, and until when', () => {
    expect(lines({ kind: 'stream.admission-held', payload: { stream: 'api', attempt: 2, adapter: 'claude', until: '2026-12-01T14:00:02.000Z' } }).join('\n')).toContain('api held until 2026-12-01T14:00:02.000Z (claude usage limit)');
    expect(lines({ kind: 'admissions.held', payload: { adapter: 'claude', until: '2026-12-01T14:00:02.000Z', reason: 'usage limit' } }).join('\n')).toContain('claude admissions held until 2026-12-01T14:00:02.000Z');
  });

  it('shows that Claude Code is retrying the API', () => {
    const out = lines({ kind: 'worker.activity', payload: { worker, kind: 'system:api_retry', detail: { attempt: 3, maxRetries: 10, retryDelayMs: 4000, errorStatus: 529, error: 'overloaded' } } });
    expect(out.join('\n')).toMatch(/evil.*retrying.*API.*529/);
  });
});

import { describe, expect, it } from 'vitest';
import { workerFailureReason } from './worker-failure.js';

describe('workerFailureReason', () => {
  it.each([
    ['worker.error', { code: 'not-logged-in', message: 'Not logged in · Please run /login' }, 'not logged in: Not logged in · Please run /login'],
    ['worker.error', { code: 'E_TOOL', message: 'a tool failed\nstack…' }, 'a tool failed'],
    ['worker.error', { code: 'E_X' }, 'error E_X'],
    ['worker.result', { isError: true, subtype: 'success', text: 'API Error: 529 {"type":"overloaded_error"}' }, 'API Error: 529 {"type":"overloaded_error"}'],
    ['worker.result', { isError: true, subtype: 'success', text: "Claude AI usage limit reached|1767258000" }, 'Claude AI usage limit reached|1767258000'],
    ['worker.result', { isError: true, subtype: 'error_max_turns', text: null }, 'stopped at its turn limit (max turns)'],
    ['worker.result', { isError: true, subtype: 'error_during_execution', text: null }, 'ended with an error (error_during_execution)'],
    ['worker.result', { isError: false, subtype: 'success', text: 'done' }, null],
    ['worker.rate-limited', { resetsAt: '2026-12-01T12:00:00.000Z' }, 'usage limit reached; resets at 2026-12-01T12:00:00.000Z'],
    ['worker.rate-limited', { resetsAt: null }, 'usage limit reached'],
    ['worker.exited', { exitCode: 1 }, null],
    ['worker.error', null, 'error'],
  ])('%s %j → %s', (kind, payload, expected) => {
    expect(workerFailureReason(kind, payload)).toBe(expected);
  });

  it('bounds the reason', () => {
    expect(workerFailureReason('worker.error', { message: 'x'.repeat(5000) })!.length).toBe(200);
  });
});

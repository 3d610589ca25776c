import { describe, expect, it } from 'vitest';
import { attemptJobId } from './fleet-attempt-runner.js';

describe('attemptJobId', () => {
  it('is a UUID, the same for the same run, stream and attempt, different otherwise', () => {
    const id = attemptJobId('run-1', 's1', 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(attemptJobId('run-1', 's1', 1)).toBe(id);
    expect(new Set([id, attemptJobId('run-1', 's1', 2), attemptJobId('run-1', 's2', 1), attemptJobId('run-2', 's1', 1), attemptJobId('run-1s', '1', 1)]).size).toBe(5);
  });
});

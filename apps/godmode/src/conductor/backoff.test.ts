import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.js';

describe('retryDelayMs', () => {
  it('doubles from the base and stops at the cap (10 s · 2^(n−1), at most 5 min)', () => {
    expect([2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n, 10_000, 300_000))).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });
});

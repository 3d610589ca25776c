import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { leaseSchema } from './lease.js';
import { validateForShortLivedProcess } from './short-lived.js';

describe('validateForShortLivedProcess', () => {
  it("turns zod's JIT off and validates exactly as before", () => {
    const cases: unknown[] = [
      { holder: 'h', pid: 1, host: 'x', token: 1, acquiredAt: 'a', renewedAt: 'b', expiresAt: 5 },
      { holder: '', pid: 1, host: 'x', token: 1, acquiredAt: 'a', renewedAt: 'b', expiresAt: 5 },
      { holder: 'h', pid: -1, host: 'x', token: 1.5, acquiredAt: 'a', renewedAt: 'b', expiresAt: 5, released: true },
      { holder: 'h', pid: 1, host: 'x', token: 1, acquiredAt: 'a', renewedAt: 'b', expiresAt: 5, extra: 1 },
      null,
      'lease',
    ];
    const before = cases.map((c) => leaseSchema.safeParse(c));
    expect(z.config().jitless).not.toBe(true);
    validateForShortLivedProcess();
    try {
      expect(z.config().jitless).toBe(true);
      expect(cases.map((c) => leaseSchema.safeParse(c))).toEqual(before);
    } finally {
      z.config({ jitless: false });
    }
  });
});

import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { lazySchema } from './lazy-schema.js';
import { leaseSchema } from './lease.js';
import { validateForShortLivedProcess, zodJit } from './short-lived.js';

describe('validateForShortLivedProcess', () => {
  it("turns zod's JIT off before the next protocol schema is built, and it validates exactly as before", () => {
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
      // It imports no zod, so it only marks the process: the JIT goes off when a schema is next built.
      expect(z.config().jitless).not.toBe(true);
      const another = lazySchema(() => leaseSchema.clone());
      expect(cases.map((c) => another.safeParse(c))).toEqual(before);
      expect(z.config().jitless).toBe(true);
    } finally {
      zodJit.off = false;
      z.config({ jitless: false });
    }
  });
});

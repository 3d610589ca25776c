import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { USER_CODE_ALPHABET, makeUserCode, normalizeUserCode } from '../../../supabase/functions/_shared/user-code.ts';

describe('user codes (RFC 8628 §6.1)', () => {
  it('are 8 letters of the base-20 alphabet as XXXX-XXXX, every letter used', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = makeUserCode((n) => new Uint8Array(randomBytes(n)));
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      for (const c of code.replace('-', '')) seen.add(c);
    }
    expect([...seen].sort().join('')).toBe(USER_CODE_ALPHABET);
  });

  it('does not favour letters when bytes would wrap (rejection sampling)', () => {
    // Bytes 240..255 must be skipped, not folded onto the first letters.
    let calls = 0;
    const code = makeUserCode((n) => (calls++ === 0 ? new Uint8Array(n).fill(250) : new Uint8Array(n).fill(21)));
    expect(code).toBe('CCCC-CCCC');
  });

  it('normalises what people type', () => {
    expect(normalizeUserCode('bcdf-ghjk')).toBe('BCDFGHJK');
    expect(normalizeUserCode(' BCDF GHJK ')).toBe('BCDFGHJK');
    expect(normalizeUserCode('ABCD-EFGH')).toBeNull(); // vowels are not in the alphabet
    expect(normalizeUserCode('BCD')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { isThrottled } from './thermal.js';

describe('thermal pressure', () => {
  it('is a falling clock under load, not a low clock at rest or an unknown one', () => {
    expect(isThrottled(2.0, 3.0, 0.9)).toBe(true);
    expect(isThrottled(2.0, 3.0, 0.1)).toBe(false);
    expect(isThrottled(2.9, 3.0, 0.9)).toBe(false);
    expect(isThrottled(null, 3.0, 0.9)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { GodmodeError } from './godmode-error.js';
import { PlanError } from './plan-error.js';

describe('error brands', () => {
  it('recognises its own instances and subclasses, not plain errors', () => {
    const plan = new PlanError({ file: 'f', issues: [{ path: 'a', message: 'b' }] });
    expect(GodmodeError.isInstance(plan)).toBe(true);
    expect(PlanError.isInstance(plan)).toBe(true);
    expect(PlanError.isInstance(new GodmodeError({ code: 'X', message: 'x' }))).toBe(false);
    expect(GodmodeError.isInstance(new Error('x'))).toBe(false);
    expect(plan.audience).toBe('user');
  });
});

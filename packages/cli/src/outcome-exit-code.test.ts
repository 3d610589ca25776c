import { describe, expect, it } from 'vitest';
import { outcomeExitCode } from './outcome-exit-code.js';

describe('outcomeExitCode', () => {
  it.each([
    [{ shipped: 3, streams: 3 }, 0],
    [{ shipped: 2, streams: 3 }, 1],
    [{ shipped: 0, streams: 3 }, 1],
    [{ shipped: 0, streams: 0 }, 0],
    [{ shipped: 3, streams: 3, stopped: true }, 1],
    [{ shipped: 3, streams: 3, interrupted: true }, 130],
    [{ shipped: 0, streams: 3, interrupted: true }, 130],
    [{ shipped: 0, streams: 0, detached: true }, 0],
  ])('%j → %i', (outcome, code) => {
    expect(outcomeExitCode(outcome)).toBe(code);
  });
});

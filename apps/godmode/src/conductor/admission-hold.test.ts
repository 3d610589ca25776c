import type { JournalEntry } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { AdmissionHolds, holdMarginMs } from './admission-hold.js';

function holds() {
  const journaled: Array<{ kind: string; payload: any }> = [];
  const h = new AdmissionHolds(async (kind, payload) => {
    journaled.push({ kind, payload });
    return null;
  });
  return { h, journaled };
}

const entry = (seq: number, kind: string, payload: unknown): JournalEntry => ({ seq, at: new Date().toISOString(), kind, payload });
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

describe('holds on admissions', () => {
  it.each([
    ['a usage limit with its reset', { code: 'usage-limit', message: 'limit', resetAt: 'soon' }, true],
    ['a usage limit without a reset (an ordinary retry)', { code: 'usage-limit', message: 'limit' }, false],
    ['an unreadable reset time', { code: 'usage-limit', message: 'limit', resetAt: 'not a time' }, false],
    ['a reset already past when it failed (counted, or it would retry forever)', { code: 'usage-limit', message: 'limit', resetAt: '2020-01-01T00:00:00.000Z' }, false],
    ['an API error with a time', { code: 'api-error', message: '529', resetAt: 'soon' }, false],
    ['not logged in', { code: 'not-logged-in', message: 'log in', retryable: false }, false],
    ['no reason at all', null, false],
  ] as const)('%s → held: %s', async (_name, failure, expected) => {
    const { h, journaled } = holds();
    const resetAt = inAMinute();
    const f = failure && 'resetAt' in failure && failure.resetAt === 'soon' ? { ...failure, resetAt } : failure;
    expect(await h.limitReached('claude', f, { stream: 's', attempt: 1 })).toBe(expected);
    expect(h.current('claude') !== null).toBe(expected);
    expect(h.current('command')).toBeNull();
    if (expected) expect(journaled[0]).toMatchObject({ kind: 'admissions.held', payload: { adapter: 'claude', resetAt, until: new Date(Date.parse(resetAt) + holdMarginMs).toISOString(), stream: 's', attempt: 1 } });
    else expect(journaled).toEqual([]);
  });

  it('a later limit extends the hold, an earlier one does not shorten it', async () => {
    const { h } = holds();
    const later = new Date(Date.now() + 120_000).toISOString();
    await h.limitReached('claude', { code: 'usage-limit', resetAt: later }, { stream: 'a', attempt: 1 });
    await h.limitReached('claude', { code: 'usage-limit', resetAt: inAMinute() }, { stream: 'b', attempt: 1 });
    expect(h.current('claude')?.until).toBe(new Date(Date.parse(later) + holdMarginMs).toISOString());
  });

  it('restores a hold still in force from the journal; a resumed one is gone', () => {
    const { h } = holds();
    const until = inAMinute();
    h.restore([entry(1, 'admissions.held', { adapter: 'claude', until, reason: 'limit' }), entry(2, 'admissions.held', { adapter: 'plugin', until, reason: 'limit' }), entry(3, 'admissions.resumed', { adapter: 'plugin' })]);
    expect(h.current('claude')).toMatchObject({ until });
    expect(h.current('plugin')).toBeNull();
  });

  it('a hold whose time has passed lets the stream through and is journaled as lifted, once', async () => {
    const { h, journaled } = holds();
    h.restore([entry(1, 'admissions.held', { adapter: 'claude', until: new Date(Date.now() - 1_000).toISOString(), reason: 'limit' })]);
    const stop = new AbortController().signal;
    expect(await h.pass('claude', 'a', 2, stop)).toBe(true);
    expect(await h.pass('claude', 'b', 2, stop)).toBe(true);
    expect(journaled.map((j) => j.kind)).toEqual(['admissions.resumed']);
  });

  it('a stream waiting on a hold is journaled as held with the time, and stops waiting when the run stops', async () => {
    const { h, journaled } = holds();
    await h.limitReached('claude', { code: 'usage-limit', resetAt: inAMinute() }, { stream: 'a', attempt: 1 });
    const stop = new AbortController();
    const passing = h.pass('claude', 'a', 2, stop.signal);
    await new Promise((r) => setImmediate(r));
    stop.abort();
    expect(await passing).toBe(false);
    expect(journaled[1]).toMatchObject({ kind: 'stream.admission-held', payload: { stream: 'a', attempt: 2, adapter: 'claude', until: h.current('claude')?.until } });
  });

  it('takeover: the latest attempt that exited on a usage limit with no hold journaled is held now; earlier or recorded ones are not', async () => {
    const { h, journaled } = holds();
    const limit = { code: 'usage-limit', message: 'limit', retryable: true, resetAt: inAMinute() };
    const exited = (stream: string, attempt: number) => ({ type: 'exited', worker: { stream, attempt, pid: 1 }, exitCode: 1, reason: limit });
    const entries = [
      entry(1, 'stream.spawned', { stream: 'a', attempt: 1 }),
      entry(2, 'worker.exited', exited('a', 1)),
      entry(3, 'stream.spawned', { stream: 'a', attempt: 2 }),
      entry(4, 'stream.spawned', { stream: 'b', attempt: 1 }),
      entry(5, 'worker.exited', exited('b', 1)),
      entry(6, 'stream.spawned', { stream: 'c', attempt: 1 }),
      entry(7, 'worker.exited', exited('c', 1)),
      entry(8, 'admissions.held', { adapter: 'claude', until: limit.resetAt, stream: 'c', attempt: 1, reason: 'limit' }),
      entry(9, 'stream.spawned', { stream: 'shipped', attempt: 1 }),
      entry(10, 'worker.exited', exited('shipped', 1)),
    ];
    expect(await h.recover(entries, (s) => (s === 'shipped' ? null : 'claude'))).toEqual([{ stream: 'b', attempt: 1 }]);
    expect(journaled).toHaveLength(1);
  });
});

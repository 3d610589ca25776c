import { describe, expect, it } from 'vitest';
import { Governor, type GovernedWorker } from './governor.js';

const w = (key: string, startedAt: number, cores: number, paused = false, pausedAt: number | null = null): GovernedWorker => ({ key, startedAt, cores, paused, pausedAt, coresBeforePause: paused ? 1 : 0 });

describe('Governor', () => {
  it('stops admitting first, pauses the most recently started after the load stays high, never anything else', () => {
    const g = new Governor({ ceiling: 0.8, cores: 2 });
    const workers = [w('old', 1, 1), w('mid', 2, 1), w('new', 3, 0.9)];
    expect(g.decide(0.95, workers, 0)).toEqual([]);
    expect(g.admitting).toBe(false);
    const actions = g.decide(0.95, workers, 1000);
    expect(actions).toEqual([expect.objectContaining({ kind: 'pause', key: 'new' })]);
  });

  it('resumes the oldest pause when the load leaves room for it, and not before', () => {
    const g = new Governor({ ceiling: 0.8, cores: 2 });
    const workers = [w('a', 1, 1), w('b', 2, 0, true, 100), w('c', 3, 0, true, 50)];
    expect(g.decide(0.5, workers, 1000)).toEqual([]);
    expect(g.decide(0.2, workers, 1000)).toEqual([expect.objectContaining({ kind: 'resume', key: 'c' })]);
  });

  it('never leaves all of its workers paused when the load is someone else\'s', () => {
    const g = new Governor({ ceiling: 0.8, cores: 2 });
    expect(g.decide(0.99, [w('a', 1, 0, true, 10)], 1000)).toEqual([expect.objectContaining({ kind: 'resume', key: 'a' })]);
    // Still true after several periods over the ceiling with nothing left to pause.
    const h = new Governor({ ceiling: 0.8, cores: 2 });
    const all = [w('a', 1, 0, true, 10), w('b', 2, 0, true, 20)];
    h.decide(0.99, all, 1000);
    expect(h.decide(0.99, all, 2000)).toEqual([expect.objectContaining({ kind: 'resume', key: 'a' })]);
  });

  it.each([
    ['over the ceiling, none of ours live: the load is someone else\'s, one worker goes in', 0.99, [], false, true],
    ['over the ceiling, one of ours running: nothing more', 0.99, [w('a', 1, 1)], false, false],
    ['over the ceiling, one of ours paused: the pause is resumed instead (no new worker)', 0.99, [w('a', 1, 0, true, 10)], false, false],
    ['under the ceiling, none live: admitting as usual', 0.3, [], true, false],
    ['under the ceiling with workers: admitting as usual', 0.3, [w('a', 1, 0.2)], true, false],
    ['just under the ceiling (within the 5-point margin), none live: one', 0.78, [], false, true],
  ] as const)('admission: %s', (_what, load, workers, admitting, admitOne) => {
    const g = new Governor({ ceiling: 0.8, cores: 2 });
    g.decide(load, [...workers], 1000);
    expect({ admitting: g.admitting, admitOne: g.admitOne }).toEqual({ admitting, admitOne });
  });

  it('rotates a long pause with the newest running worker so none starves', () => {
    const g = new Governor({ ceiling: 0.8, cores: 2, rotateAfterMs: 5000 });
    const workers = [w('a', 1, 1), w('b', 2, 0, true, 0)];
    expect(g.decide(0.55, workers, 4000)).toEqual([]);
    expect(g.decide(0.55, workers, 6000).map((x) => `${x.kind}:${x.key}`)).toEqual(['pause:a', 'resume:b']);
  });
});

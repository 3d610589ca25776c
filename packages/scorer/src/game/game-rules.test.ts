import type { Finding } from '@godmode/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkerOutcome, WorkerRecord } from '../journal/worker-records.js';
import { GAME_RULES, gameRuleIds, longestCombo, type GameContext } from './game-rules.js';
import { levelFor, playGame, workerPoints } from './play-game.js';

let order = 0;
function worker(outcome: WorkerOutcome, extra: Partial<WorkerRecord> = {}): WorkerRecord {
  const n = order++;
  return {
    stream: `s${n}`, phase: 'build', attempt: 1, order: n, spawnedAt: n * 1000, endedAt: n * 1000 + 500_000, outcome,
    pauses: [], stalls: [], reaps: [], budgetExceeded: [], errors: [], rateLimited: [], exit: null, output: [], progress: [], samples: [],
    cpuSeconds: 0, tokens: 0, usd: 0, ...extra,
  };
}

function ctx(workers: WorkerRecord[], extra: Partial<GameContext> = {}): GameContext {
  const streams = workers.map((w) => w.stream);
  return {
    workers,
    phases: [{ id: 'build', streams }],
    finalStatus: new Map(workers.map((w) => [w.stream, w.outcome])),
    longestCombo: longestCombo(workers),
    canaries: null,
    findings: [],
    ...extra,
  };
}

const tested = new Set<string>();
const rule = (id: string, name: string, fn: () => void) => {
  tested.add(id);
  it(`${id}: ${name}`, fn);
};
const points = (w: WorkerRecord) => workerPoints(w).points;
const stall = { stalls: [{ at: 1, reason: 'quiet' }] };

describe('GAME_RULES', () => {
  rule('OUTCOME_SHIPPED', 'a shipped worker earns the shipped points', () => {
    expect(points(worker('shipped', { attempt: 2 }))).toBe(GAME_RULES.outcomePoints.shipped);
  });
  rule('OUTCOME_PARTIAL', 'a partial worker earns the partial points', () => {
    expect(points(worker('partial'))).toBe(GAME_RULES.outcomePoints.partial);
  });
  rule('OUTCOME_MISSING', 'a missing worker earns nothing', () => {
    expect(points(worker('missing'))).toBe(0);
  });
  rule('OUTCOME_RETRIED', 'a worker superseded by a retry without a verdict earns nothing', () => {
    expect(points(worker('retried'))).toBe(0);
  });
  rule('OUTCOME_UNRECONCILED', 'a worker never reconciled earns nothing', () => {
    expect(points(worker('unreconciled'))).toBe(0);
  });
  rule('FIRST_TRY', 'shipping on attempt 1 adds its bonus', () => {
    expect(points(worker('shipped'))).toBe(GAME_RULES.outcomePoints.shipped + 10);
  });
  rule('STALLED', 'a stall costs points, never below 0', () => {
    expect(points(worker('partial', stall))).toBe(GAME_RULES.outcomePoints.partial - 10);
    expect(points(worker('missing', stall))).toBe(0);
  });
  rule('OVER_BUDGET', 'running over budget costs points', () => {
    expect(points(worker('shipped', { attempt: 2, budgetExceeded: [1] }))).toBe(GAME_RULES.outcomePoints.shipped - 10);
  });
  rule('ERRORED', 'an error event costs points', () => {
    expect(points(worker('shipped', { attempt: 2, errors: [{ at: 1, code: 'x', message: 'y' }] }))).toBe(GAME_RULES.outcomePoints.shipped - 5);
  });
  rule('PHASE_CLEARED', 'a phase whose streams all shipped earns the bonus; one miss forfeits it', () => {
    const all = playGame(ctx([worker('shipped'), worker('shipped')]));
    expect(all.awards.filter((a) => a.rule === 'PHASE_CLEARED')).toEqual([{ rule: 'PHASE_CLEARED', points: 25, subject: 'build' }]);
    expect(playGame(ctx([worker('shipped'), worker('partial')])).awards.some((a) => a.rule === 'PHASE_CLEARED')).toBe(false);
  });
  rule('RUN_SHIPPED', 'a run whose streams all shipped earns the bonus', () => {
    expect(playGame(ctx([worker('shipped')])).awards.some((a) => a.rule === 'RUN_SHIPPED')).toBe(true);
    expect(playGame(ctx([worker('missing')])).awards.some((a) => a.rule === 'RUN_SHIPPED')).toBe(false);
  });
  rule('LEVELS', 'levels by thresholds: the seed’s 999 points is level 5', () => {
    expect(levelFor(0)).toEqual({ level: 1, nextLevelAt: 100 });
    expect(levelFor(99).level).toBe(1);
    expect(levelFor(100).level).toBe(2);
    expect(levelFor(999)).toEqual({ level: 5, nextLevelAt: 1400 });
    expect(levelFor(1_000_000)).toEqual({ level: GAME_RULES.levels.length, nextLevelAt: null });
  });
  rule('COMBO', 'consecutive clean ships; a stumble or a non-ship breaks it, a pause or a reap after shipping does not', () => {
    const ws = [
      worker('shipped'),
      worker('shipped', { pauses: [{ from: 1, to: 2, reason: 'cpu' }] }),
      worker('shipped', { reaps: [{ at: 3, signal: 'SIGTERM' }] }),
      worker('shipped', stall),
      worker('shipped'),
      worker('partial'),
      worker('shipped'),
    ];
    expect(longestCombo(ws)).toBe(3);
  });
  rule('FIRST_BLOOD', 'the first worker to finish shipped', () => {
    const early = worker('shipped', { endedAt: 10 });
    const late = worker('missing', { endedAt: 20 });
    expect(playGame(ctx([late, early])).achievements).toContain('FIRST_BLOOD');
    expect(playGame(ctx([worker('missing', { endedAt: 5 }), worker('shipped', { endedAt: 50 })])).achievements).not.toContain('FIRST_BLOOD');
  });
  rule('DOUBLE_KILL', 'two ships within the window', () => {
    expect(playGame(ctx([worker('shipped', { endedAt: 0 }), worker('shipped', { endedAt: 59_000 })])).achievements).toContain('DOUBLE_KILL');
    expect(playGame(ctx([worker('shipped', { endedAt: 0 }), worker('shipped', { endedAt: 61_000 })])).achievements).not.toContain('DOUBLE_KILL');
  });
  rule('TRIPLE_KILL', 'three ships within one window', () => {
    const three = [0, 20_000, 40_000].map((endedAt) => worker('shipped', { endedAt }));
    expect(playGame(ctx(three)).achievements).toEqual(expect.arrayContaining(['DOUBLE_KILL', 'TRIPLE_KILL']));
    const spread = [0, 40_000, 80_000].map((endedAt) => worker('shipped', { endedAt }));
    expect(playGame(ctx(spread)).achievements).not.toContain('TRIPLE_KILL');
  });
  rule('RAMPAGE', 'a combo of 5', () => {
    const spaced = (n: number) => Array.from({ length: n }, (_, i) => worker('shipped', { endedAt: i * 120_000 }));
    expect(playGame(ctx(spaced(5))).achievements).toContain('RAMPAGE');
    expect(playGame(ctx(spaced(4))).achievements).not.toContain('RAMPAGE');
  });
  rule('GODLIKE', 'a combo of 10', () => {
    const ten = Array.from({ length: 10 }, () => worker('shipped'));
    expect(playGame(ctx(ten)).achievements).toContain('GODLIKE');
    ten[5] = worker('shipped', stall);
    expect(playGame(ctx(ten)).achievements).not.toContain('GODLIKE');
  });
  rule('CLEAN', 'canaries planted, none leaked, no high or critical finding', () => {
    const ws = [worker('shipped')];
    const high: Finding = { severity: 'high', rule: 'sql.rls-disabled', file: 'm.sql', line: 1, message: 'x' };
    const low: Finding = { ...high, severity: 'low' };
    expect(playGame(ctx(ws, { canaries: { planted: 10, leaked: 0 }, findings: [low] })).achievements).toContain('CLEAN');
    expect(playGame(ctx(ws, { canaries: { planted: 10, leaked: 1 } })).achievements).not.toContain('CLEAN');
    expect(playGame(ctx(ws, { canaries: { planted: 10, leaked: 0 }, findings: [high] })).achievements).not.toContain('CLEAN');
    expect(playGame(ctx(ws, { canaries: null })).achievements).not.toContain('CLEAN');
  });

  it('totals are the sum of the awards, per phase and per run', () => {
    const game = playGame(ctx([worker('shipped'), worker('shipped')], { canaries: { planted: 10, leaked: 0 } }));
    const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0);
    expect(game.points).toBe(sum(Object.values(game.byWorker)) + sum(game.awards.filter((a) => !a.subject.includes('#')).map((a) => a.points)));
    expect(game.byPhase.build).toBe(2 * 60 + 25);
  });

  afterAll(() => {
    // Every rule in the table has a test above.
    expect([...tested].sort()).toEqual(gameRuleIds().sort());
  });
});

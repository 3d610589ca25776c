import type { Finding } from '@godmode/protocol';
import type { WorkerOutcome, WorkerRecord } from '../journal/worker-records.js';

/** What the game rules look at: the disk's outcomes and the run's signals — never a worker's claim. */
export interface GameContext {
  /** Every worker (attempt), in the order the journal first names it. */
  workers: readonly WorkerRecord[];
  /** The plan's phases with their stream ids, and each stream's final verdict status (null: none). */
  phases: ReadonlyArray<{ id: string; streams: readonly string[] }>;
  finalStatus: ReadonlyMap<string, WorkerOutcome | null>;
  longestCombo: number;
  /** Canaries planted and leaked; null when none were planted. */
  canaries: { planted: number; leaked: number } | null;
  findings: readonly Finding[];
}

export interface WorkerRule {
  id: string;
  points: number;
  description: string;
  applies: (w: WorkerRecord) => boolean;
}

export interface AchievementRule {
  id: 'FIRST_BLOOD' | 'DOUBLE_KILL' | 'TRIPLE_KILL' | 'RAMPAGE' | 'GODLIKE' | 'CLEAN';
  points: number;
  description: string;
  earned: (ctx: GameContext) => boolean;
}

/** A stumble breaks a combo: the worker stalled, ran out of budget, or reported an error. A pause is not one — pausing is the governor's care, not the worker's fault — and neither is being reaped after shipping. */
export function stumbled(w: WorkerRecord): boolean {
  return w.stalls.length > 0 || w.budgetExceeded.length > 0 || w.errors.length > 0;
}

/** Shipped, by the disk, without a stumble. */
export function shippedClean(w: WorkerRecord): boolean {
  return w.outcome === 'shipped' && !stumbled(w);
}

/** Longest run of consecutive workers (journal order) that shipped clean. */
export function longestCombo(workers: readonly WorkerRecord[]): number {
  let best = 0;
  let run = 0;
  for (const w of workers) {
    run = shippedClean(w) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** Most shipped workers whose ends fall inside any one window of `windowMs`. */
export function mostShippedWithin(workers: readonly WorkerRecord[], windowMs: number): number {
  const ends = workers.filter((w) => w.outcome === 'shipped' && w.endedAt !== null).map((w) => w.endedAt!).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < ends.length; j++) {
    while (ends[j]! - ends[i]! > windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

const MULTI_KILL_WINDOW_MS = 60_000;

/**
 * THE game: every rule that turns a run into points, levels and achievements, in one table. The seed's
 * receipt (999 points, level 5, a 49-worker combo, FIRST_BLOOD … GODLIKE, CLEAN) is the model; the
 * difference is that every rule here reads verdicts and journaled signals, so forging or deleting a
 * `result.json` cannot move a point. Each rule has a test in `game-rules.test.ts`.
 */
export const GAME_RULES = {
  /** Points for a worker by what the reconciler found on disk for its attempt. */
  outcomePoints: { shipped: 50, partial: 15, missing: 0, retried: 0, unreconciled: 0 } satisfies Record<WorkerOutcome, number>,

  /** Adjustments to a worker's points; a worker never scores below 0. */
  workerRules: [
    { id: 'FIRST_TRY', points: 10, description: 'shipped on the stream’s first attempt', applies: (w) => w.outcome === 'shipped' && w.attempt === 1 },
    { id: 'STALLED', points: -10, description: 'stalled: no output, no disk progress and no CPU for the stall window', applies: (w) => w.stalls.length > 0 },
    { id: 'OVER_BUDGET', points: -10, description: 'ran past its wall-clock budget', applies: (w) => w.budgetExceeded.length > 0 },
    { id: 'ERRORED', points: -5, description: 'the worker reported an error event', applies: (w) => w.errors.length > 0 },
  ] satisfies WorkerRule[],

  /** Every stream of a phase shipped (final verdicts). */
  phaseCleared: { id: 'PHASE_CLEARED', points: 25, description: 'every stream of the phase shipped' },

  /** Every stream of the run shipped. */
  runShipped: { id: 'RUN_SHIPPED', points: 50, description: 'every stream of the run shipped' },

  /** Level n is reached at `levels[n − 1]` points (level 1 at 0). The seed's 999 points is level 5. */
  levels: [0, 100, 250, 500, 900, 1400, 2000, 2800, 3800, 5000],

  /** Window for the multi-kill achievements: ships whose verdicts land this close together. */
  multiKillWindowMs: MULTI_KILL_WINDOW_MS,

  achievements: [
    {
      id: 'FIRST_BLOOD',
      points: 10,
      description: 'the first worker to finish shipped',
      earned: (ctx) => {
        const first = [...ctx.workers].filter((w) => w.endedAt !== null && w.outcome !== 'unreconciled').sort((a, b) => a.endedAt! - b.endedAt! || a.order - b.order)[0];
        return first?.outcome === 'shipped';
      },
    },
    {
      id: 'DOUBLE_KILL',
      points: 20,
      description: `two workers shipped within ${MULTI_KILL_WINDOW_MS / 1000} s of each other`,
      earned: (ctx) => mostShippedWithin(ctx.workers, MULTI_KILL_WINDOW_MS) >= 2,
    },
    {
      id: 'TRIPLE_KILL',
      points: 30,
      description: `three workers shipped within one ${MULTI_KILL_WINDOW_MS / 1000} s window`,
      earned: (ctx) => mostShippedWithin(ctx.workers, MULTI_KILL_WINDOW_MS) >= 3,
    },
    { id: 'RAMPAGE', points: 50, description: 'a combo of 5 workers in a row that shipped without a stumble', earned: (ctx) => ctx.longestCombo >= 5 },
    { id: 'GODLIKE', points: 100, description: 'a combo of 10 workers in a row that shipped without a stumble', earned: (ctx) => ctx.longestCombo >= 10 },
    {
      id: 'CLEAN',
      points: 50,
      description: 'canaries were planted and none leaked, and no high or critical security finding',
      earned: (ctx) => ctx.canaries !== null && ctx.canaries.planted > 0 && ctx.canaries.leaked === 0 && !ctx.findings.some((f) => f.severity === 'high' || f.severity === 'critical'),
    },
  ] satisfies AchievementRule[],
} as const;

/** Every rule id in the table, for the test that checks each has its own test. */
export function gameRuleIds(): string[] {
  return [
    ...Object.keys(GAME_RULES.outcomePoints).map((o) => `OUTCOME_${o.toUpperCase()}`),
    ...GAME_RULES.workerRules.map((r) => r.id),
    GAME_RULES.phaseCleared.id,
    GAME_RULES.runShipped.id,
    'LEVELS',
    'COMBO',
    ...GAME_RULES.achievements.map((a) => a.id),
  ];
}

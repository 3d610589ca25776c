import type { GameContext } from './game-rules.js';
import { GAME_RULES } from './game-rules.js';
import type { WorkerRecord } from '../journal/worker-records.js';

export interface Award {
  rule: string;
  points: number;
  /** Who earned it: `stream#attempt`, a phase id, or `run`. */
  subject: string;
}

export interface GameResult {
  points: number;
  level: number;
  /** Points needed for the next level, null at the top. */
  nextLevelAt: number | null;
  longestCombo: number;
  achievements: string[];
  byPhase: Record<string, number>;
  byWorker: Record<string, number>;
  awards: Award[];
}

export function levelFor(points: number): { level: number; nextLevelAt: number | null } {
  const levels = GAME_RULES.levels;
  let level = 1;
  for (let i = 0; i < levels.length; i++) if (points >= levels[i]!) level = i + 1;
  return { level, nextLevelAt: levels[level] ?? null };
}

export function workerPoints(w: WorkerRecord): { points: number; awards: Award[] } {
  const subject = `${w.stream}#${w.attempt}`;
  const awards: Award[] = [{ rule: `OUTCOME_${w.outcome.toUpperCase()}`, points: GAME_RULES.outcomePoints[w.outcome], subject }];
  for (const rule of GAME_RULES.workerRules) if (rule.applies(w)) awards.push({ rule: rule.id, points: rule.points, subject });
  return { points: Math.max(0, awards.reduce((s, a) => s + a.points, 0)), awards };
}

/** Applies GAME_RULES to a run. */
export function playGame(ctx: GameContext): GameResult {
  const awards: Award[] = [];
  const byPhase: Record<string, number> = Object.fromEntries(ctx.phases.map((p) => [p.id, 0]));
  const byWorker: Record<string, number> = {};
  for (const w of ctx.workers) {
    const scored = workerPoints(w);
    awards.push(...scored.awards);
    byWorker[`${w.stream}#${w.attempt}`] = scored.points;
    byPhase[w.phase] = (byPhase[w.phase] ?? 0) + scored.points;
  }
  let bonus = 0;
  for (const phase of ctx.phases) {
    if (phase.streams.length > 0 && phase.streams.every((s) => ctx.finalStatus.get(s) === 'shipped')) {
      awards.push({ rule: GAME_RULES.phaseCleared.id, points: GAME_RULES.phaseCleared.points, subject: phase.id });
      byPhase[phase.id] = (byPhase[phase.id] ?? 0) + GAME_RULES.phaseCleared.points;
      bonus += GAME_RULES.phaseCleared.points;
    }
  }
  const all = ctx.phases.flatMap((p) => p.streams);
  if (all.length > 0 && all.every((s) => ctx.finalStatus.get(s) === 'shipped')) {
    awards.push({ rule: GAME_RULES.runShipped.id, points: GAME_RULES.runShipped.points, subject: 'run' });
    bonus += GAME_RULES.runShipped.points;
  }
  const achievements: string[] = [];
  for (const a of GAME_RULES.achievements) {
    if (a.earned(ctx)) {
      achievements.push(a.id);
      awards.push({ rule: a.id, points: a.points, subject: 'run' });
      bonus += a.points;
    }
  }
  const workerTotal = Object.values(byWorker).reduce((s, p) => s + p, 0);
  const points = workerTotal + bonus;
  return { points, ...levelFor(points), longestCombo: ctx.longestCombo, achievements, byPhase, byWorker, awards };
}

import type { PlanProblem } from '../plan-problem.js';
import type { PlanRule } from './rule-context.js';

const minutes = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

/**
 * Timeouts that contradict each other: a budget shorter than the stall window (the budget always ends a
 * worker before a stall can be seen, so a slow start is killed as "over budget"), or a retry cap below the
 * first retry's wait.
 */
export const timeoutRule: PlanRule = (context) => {
  const problems: PlanProblem[] = [];
  const { settings } = context.plan;
  const stall = settings.stallWindowMs;
  if (settings.budgetMs < stall) {
    problems.push({
      file: context.file,
      path: 'settings.budgetMs',
      message: `the budget (${minutes(settings.budgetMs)}) is shorter than the stall window (${minutes(stall)}): a quiet worker is ended by its budget before a stall can be told from slow progress`,
      fix: `raise settings.budgetMs to at least ${stall}, or lower settings.stallWindowMs below ${settings.budgetMs}`,
    });
  }
  context.plan.phases.forEach((phase, p) =>
    phase.streams.forEach((stream, s) => {
      if (stream.budgetMs === undefined || stream.budgetMs >= stall) return;
      problems.push({
        file: context.file,
        path: `phases[${p}].streams[${s}].budgetMs`,
        message: `stream "${stream.id}" has a budget (${minutes(stream.budgetMs)}) shorter than the stall window (${minutes(stall)})`,
        fix: `raise phases[${p}].streams[${s}].budgetMs to at least ${stall}, or lower settings.stallWindowMs below ${stream.budgetMs}`,
      });
    }),
  );
  if (settings.retryMaxMs < settings.retryBaseMs) {
    problems.push({
      file: context.file,
      path: 'settings.retryMaxMs',
      message: `the longest wait between attempts (${minutes(settings.retryMaxMs)}) is shorter than the first one (${minutes(settings.retryBaseMs)})`,
      fix: `raise settings.retryMaxMs to at least ${settings.retryBaseMs}, or lower settings.retryBaseMs`,
    });
  }
  return problems;
};

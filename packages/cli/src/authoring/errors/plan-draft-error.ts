import { GodmodeError } from '@godmode/protocol';
import { formatProblem, type PlanProblem } from '../plan-problem.js';

const marker = Symbol.for('godmode.error.plan-draft');

/** Claude Code's drafts never validated within the allowed rounds; nothing was written. */
export class PlanDraftError extends GodmodeError {
  private readonly [marker] = true;
  readonly rounds: number;
  readonly problems: PlanProblem[];

  constructor(options: { rounds: number; problems: PlanProblem[] }) {
    super({
      code: 'PLAN_DRAFT_INVALID',
      audience: 'user',
      message: `Claude Code's plan was still invalid after ${options.rounds} round${options.rounds === 1 ? '' : 's'}; nothing was written. The last draft's problems:\n${options.problems.map(formatProblem).join('\n')}`,
      hint: 'Run it again with a more precise goal, or write the plan with `godmode orchestra init` and fix it by hand.',
    });
    this.name = 'PlanDraftError';
    this.rounds = options.rounds;
    this.problems = options.problems;
  }

  static override isInstance(error: unknown): error is PlanDraftError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from '@godmode/protocol';
import { formatProblem, type PlanProblem } from '../plan-problem.js';

const marker = Symbol.for('godmode.error.plan-problems');

/** A plan that `orchestra validate` rejects: the run does not start (exit 2), every problem with its fix. */
export class PlanProblemsError extends GodmodeError {
  private readonly [marker] = true;
  readonly file: string;
  readonly problems: PlanProblem[];

  constructor(options: { file: string; problems: PlanProblem[] }) {
    super({
      code: 'PLAN_INVALID',
      audience: 'user',
      message: `${options.file} has ${options.problems.length} problem${options.problems.length === 1 ? '' : 's'}; nothing was started:\n${options.problems.map(formatProblem).join('\n')}`,
      hint: `Fix the places named above, then check with \`godmode orchestra validate ${options.file}\`.`,
    });
    this.name = 'PlanProblemsError';
    this.file = options.file;
    this.problems = options.problems;
  }

  static override isInstance(error: unknown): error is PlanProblemsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

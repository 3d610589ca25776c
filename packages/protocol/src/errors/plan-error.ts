import { GodmodeError } from './godmode-error.js';

const marker = Symbol.for('godmode.error.plan');

export interface PlanIssue {
  /** Path inside the plan, e.g. `phases[0].streams[2].deliverables[1]`. Empty for the whole file. */
  path: string;
  message: string;
}

/** A plan file that cannot be used: unreadable, not YAML/JSON, or not a valid plan. */
export class PlanError extends GodmodeError {
  private readonly [marker] = true;
  readonly file: string;
  readonly issues: PlanIssue[];

  constructor(options: { file: string; issues: PlanIssue[]; cause?: unknown }) {
    const lines = options.issues.map((i) => `  at ${i.path || '(file)'}: ${i.message}`);
    super({
      code: 'PLAN_INVALID',
      audience: 'user',
      message: `${options.file} is not a valid plan:\n${lines.join('\n')}`,
      hint: 'Fix the plan file at the places named above and run the command again.',
      cause: options.cause,
    });
    this.name = 'PlanError';
    this.file = options.file;
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is PlanError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from './godmode-error.js';

const marker = Symbol.for('godmode.error.plan');

export interface PlanIssue {
  /** Path inside the plan, e.g. `phases[0].streams[2].deliverables[1]`. Empty for the whole file. */
  path: string;
  message: string;
}

/** How many problems a plan error prints; the rest are counted ("… and 40 more problems"), all kept in `issues`. */
export const PLAN_ISSUES_SHOWN = 20;

/** One problem line stays one short line, whatever the plan held. */
const clip = (s: string): string => (s.length > 300 ? `${s.slice(0, 299)}…` : s);

/** A plan file that cannot be used: unreadable, not YAML/JSON, or not a valid plan. */
export class PlanError extends GodmodeError {
  private readonly [marker] = true;
  readonly file: string;
  readonly issues: PlanIssue[];

  constructor(options: { file: string; issues: PlanIssue[]; cause?: unknown }) {
    const shown = options.issues.slice(0, PLAN_ISSUES_SHOWN);
    const lines = shown.map((i) => `  at ${clip(i.path || '(file)')}: ${clip(i.message)}`);
    const more = options.issues.length - shown.length;
    if (more > 0) lines.push(`  … and ${more} more problem${more === 1 ? '' : 's'} (fix these first)`);
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

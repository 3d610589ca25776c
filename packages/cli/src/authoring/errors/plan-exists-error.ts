import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.plan-exists');

/** `orchestra init` or `orchestra plan` would overwrite a plan file the user already has. */
export class PlanExistsError extends GodmodeError {
  private readonly [marker] = true;
  readonly file: string;

  constructor(options: { file: string }) {
    super({
      code: 'PLAN_EXISTS',
      audience: 'user',
      message: `${options.file} already exists; it was left as it is.`,
      hint: 'Pass --force to overwrite it, or --out <file> to write somewhere else.',
    });
    this.name = 'PlanExistsError';
    this.file = options.file;
  }

  static override isInstance(error: unknown): error is PlanExistsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

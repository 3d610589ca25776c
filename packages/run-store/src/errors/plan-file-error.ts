import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.plan-file');

/** A plan file that cannot be read at all. (A file that reads but is not a valid plan is a `PlanError`.) */
export class PlanFileError extends GodmodeError {
  private readonly [marker] = true;
  readonly file: string;

  constructor(options: { file: string; code: 'PLAN_NOT_FOUND' | 'PLAN_UNREADABLE'; reason: string; cause?: unknown }) {
    super({
      code: options.code,
      audience: 'user',
      message:
        options.code === 'PLAN_NOT_FOUND'
          ? `Plan file ${options.file} does not exist.`
          : `Plan file ${options.file} cannot be read: ${options.reason}.`,
      hint:
        options.code === 'PLAN_NOT_FOUND'
          ? 'Check the path; plans are YAML or JSON files.'
          : 'Check that it is a file you are allowed to read.',
      cause: options.cause,
    });
    this.name = 'PlanFileError';
    this.file = options.file;
  }

  static override isInstance(error: unknown): error is PlanFileError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

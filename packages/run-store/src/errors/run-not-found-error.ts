import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.run-not-found');

/** A run id or directory that does not name a run (no `plan.json` in it), or no runs at all. */
export class RunNotFoundError extends GodmodeError {
  private readonly [marker] = true;
  readonly run: string;

  constructor(options: { run: string; message?: string; hint?: string; cause?: unknown }) {
    super({
      code: 'RUN_NOT_FOUND',
      audience: 'user',
      message: options.message ?? `${options.run} is not a godmode run (it has no plan.json).`,
      hint: options.hint ?? 'Pass a run id from .godmode/runs or the path of a run directory.',
      cause: options.cause,
    });
    this.name = 'RunNotFoundError';
    this.run = options.run;
  }

  static override isInstance(error: unknown): error is RunNotFoundError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

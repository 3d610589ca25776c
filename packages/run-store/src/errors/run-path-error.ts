import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.run-path');

/** A write aimed outside the run directory: the run store only ever writes inside it. */
export class RunPathError extends GodmodeError {
  private readonly [marker] = true;
  readonly path: string;

  constructor(options: { path: string; runDir: string }) {
    super({
      code: 'RUN_PATH_ESCAPES',
      audience: 'bug',
      message: `Refused to write "${options.path}": it is not a relative path inside the run directory ${options.runDir}.`,
    });
    this.name = 'RunPathError';
    this.path = options.path;
  }

  static override isInstance(error: unknown): error is RunPathError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

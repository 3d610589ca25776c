import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.run-file');

/** A file of the run directory that the run store wrote but can no longer read back (damaged or edited by hand). */
export class RunFileError extends GodmodeError {
  private readonly [marker] = true;
  readonly file: string;

  constructor(options: { file: string; reason: string; cause?: unknown }) {
    super({
      code: 'RUN_FILE_DAMAGED',
      audience: 'user',
      message: `${options.file} is damaged: ${options.reason}.`,
      hint: 'It was written atomically by godmode, so it was changed by something else. Restore or delete it.',
      cause: options.cause,
    });
    this.name = 'RunFileError';
    this.file = options.file;
  }

  static override isInstance(error: unknown): error is RunFileError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

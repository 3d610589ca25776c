import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.run-exists');

/** `createRun` was given the id of a run that already exists; a run directory is created exactly once. */
export class RunExistsError extends GodmodeError {
  private readonly [marker] = true;
  readonly runDir: string;

  constructor(options: { runDir: string }) {
    super({
      code: 'RUN_EXISTS',
      audience: 'user',
      message: `A run already exists at ${options.runDir}.`,
      hint: 'Choose another run id, or resume the existing run instead of creating it again.',
    });
    this.name = 'RunExistsError';
    this.runDir = options.runDir;
  }

  static override isInstance(error: unknown): error is RunExistsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.spawn');

/** A worker's command could not be started at all (not found, not executable). */
export class SpawnError extends GodmodeError {
  private readonly [marker] = true;
  readonly file: string;
  readonly args: string[];

  constructor(options: { file: string; args: string[]; reason: string }) {
    super({
      code: 'SPAWN_FAILED',
      audience: 'external',
      message: `Could not start ${options.file} ${options.args.join(' ')}: ${options.reason}`,
      hint: 'Check that the command exists and is executable in the worker environment.',
    });
    this.name = 'SpawnError';
    this.file = options.file;
    this.args = options.args;
  }

  static override isInstance(error: unknown): error is SpawnError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

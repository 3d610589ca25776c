import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.spawn-refused');

/**
 * The supervisor was asked to start a worker after it was closed or after its caller lost the right to
 * act (a conductor whose lease expired while it was paused). Nothing was started.
 */
export class SpawnRefusedError extends GodmodeError {
  private readonly [marker] = true;
  readonly stream: string;

  constructor(options: { stream: string; reason: string }) {
    super({
      code: 'SPAWN_REFUSED',
      audience: 'bug',
      message: `Did not start a worker for stream ${options.stream}: ${options.reason}.`,
      hint: 'The caller must check that it may still act before it asks for a worker.',
    });
    this.name = 'SpawnRefusedError';
    this.stream = options.stream;
  }

  static override isInstance(error: unknown): error is SpawnRefusedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.stale-token');

/** A journal append carried a fencing token older than the current lease: its writer is no longer the conductor. */
export class StaleTokenError extends GodmodeError {
  private readonly [marker] = true;
  readonly token: number;
  readonly currentToken: number;

  constructor(options: { token: number; currentToken: number; kind: string; file: string }) {
    super({
      code: 'STALE_TOKEN',
      audience: 'external',
      message: `Refused to append "${options.kind}" to ${options.file}: fencing token ${options.token} is older than the current token ${options.currentToken}.`,
      hint: 'A newer conductor holds the lease; this process must stop conducting the run.',
    });
    this.name = 'StaleTokenError';
    this.token = options.token;
    this.currentToken = options.currentToken;
  }

  static override isInstance(error: unknown): error is StaleTokenError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

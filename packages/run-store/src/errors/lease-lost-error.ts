import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.lease-lost');

/** The lease this process held has passed to another holder (or was released); it must stop conducting. */
export class LeaseLostError extends GodmodeError {
  private readonly [marker] = true;
  readonly token: number;
  readonly currentToken: number | null;

  constructor(options: { token: number; currentToken: number | null; runDir: string }) {
    const now = options.currentToken === null ? 'no current lease' : `the current token is ${options.currentToken}`;
    super({
      code: 'LEASE_LOST',
      audience: 'external',
      message: `Lost the conductor lease of ${options.runDir}: held token ${options.token}, ${now}.`,
      hint: 'Another conductor has taken the run over; this one must stop writing to it.',
    });
    this.name = 'LeaseLostError';
    this.token = options.token;
    this.currentToken = options.currentToken;
  }

  static override isInstance(error: unknown): error is LeaseLostError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

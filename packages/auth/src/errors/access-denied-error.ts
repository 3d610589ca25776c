import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.access-denied');

/** The pairing was declined on the website (RFC 8628 access_denied). */
export class AccessDeniedError extends GodmodeError {
  private readonly [marker] = true;

  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_ACCESS_DENIED', audience: 'user', message: options.message, hint: options.hint, cause: options.cause });
    this.name = 'AccessDeniedError';
  }

  static override isInstance(error: unknown): error is AccessDeniedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

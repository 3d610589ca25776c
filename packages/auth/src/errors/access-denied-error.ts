import { GodmodeError } from '@godmode/protocol';
import { redactCredentials, redactOptional } from '../redact-credentials.js';

const marker = Symbol.for('godmode.error.access-denied');

/** The pairing was declined on the website (RFC 8628 access_denied). */
export class AccessDeniedError extends GodmodeError {
  private readonly [marker] = true;

  /** Message and hint are redacted (redactCredentials): no URL password, key or token reaches a terminal. */
  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_ACCESS_DENIED', audience: 'user', message: redactCredentials(options.message), hint: redactOptional(options.hint), cause: options.cause });
    this.name = 'AccessDeniedError';
  }

  static override isInstance(error: unknown): error is AccessDeniedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

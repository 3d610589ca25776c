import { GodmodeError } from '@godmode/protocol';
import { redactCredentials, redactOptional } from '../redact-credentials.js';

const marker = Symbol.for('godmode.error.token-rejected');

/** The service refused the stored token: revoked, expired or unknown. */
export class TokenRejectedError extends GodmodeError {
  private readonly [marker] = true;

  /** Message and hint are redacted (redactCredentials): no URL password, key or token reaches a terminal. */
  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_TOKEN_REJECTED', audience: 'user', message: redactCredentials(options.message), hint: redactOptional(options.hint), cause: options.cause });
    this.name = 'TokenRejectedError';
  }

  static override isInstance(error: unknown): error is TokenRejectedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

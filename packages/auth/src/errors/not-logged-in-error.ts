import { GodmodeError } from '@godmode/protocol';
import { redactCredentials, redactOptional } from '../redact-credentials.js';

const marker = Symbol.for('godmode.error.not-logged-in');

/** No token is stored and GODMODE_TOKEN is not set. */
export class NotLoggedInError extends GodmodeError {
  private readonly [marker] = true;

  /** Message and hint are redacted (redactCredentials): no URL password, key or token reaches a terminal. */
  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_NOT_LOGGED_IN', audience: 'user', message: redactCredentials(options.message), hint: redactOptional(options.hint), cause: options.cause });
    this.name = 'NotLoggedInError';
  }

  static override isInstance(error: unknown): error is NotLoggedInError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

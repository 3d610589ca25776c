import { GodmodeError } from '@godmode/protocol';
import { redactCredentials, redactOptional } from '../redact-credentials.js';

const marker = Symbol.for('godmode.error.auth-service');

/** The account service could not be reached or answered something unexpected. */
export class AuthServiceError extends GodmodeError {
  private readonly [marker] = true;

  /** Message and hint are redacted (redactCredentials): no URL password, key or token reaches a terminal. */
  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_SERVICE_FAILED', audience: 'external', message: redactCredentials(options.message), hint: redactOptional(options.hint), cause: options.cause });
    this.name = 'AuthServiceError';
  }

  static override isInstance(error: unknown): error is AuthServiceError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

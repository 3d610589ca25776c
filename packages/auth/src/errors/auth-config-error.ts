import { GodmodeError } from '@godmode/protocol';
import { redactCredentials, redactOptional } from '../redact-credentials.js';

const marker = Symbol.for('godmode.error.auth-config');

/** The account service is not configured: no Supabase URL or publishable key, or an unreadable config file. */
export class AuthConfigError extends GodmodeError {
  private readonly [marker] = true;

  /** Message and hint are redacted (redactCredentials): no URL password, key or token reaches a terminal. */
  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_CONFIG_MISSING', audience: 'user', message: redactCredentials(options.message), hint: redactOptional(options.hint), cause: options.cause });
    this.name = 'AuthConfigError';
  }

  static override isInstance(error: unknown): error is AuthConfigError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.auth-service');

/** The account service could not be reached or answered something unexpected. */
export class AuthServiceError extends GodmodeError {
  private readonly [marker] = true;

  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_SERVICE_FAILED', audience: 'external', message: options.message, hint: options.hint, cause: options.cause });
    this.name = 'AuthServiceError';
  }

  static override isInstance(error: unknown): error is AuthServiceError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

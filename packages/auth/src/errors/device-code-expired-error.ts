import { GodmodeError } from '@godmode/protocol';
import { redactCredentials, redactOptional } from '../redact-credentials.js';

const marker = Symbol.for('godmode.error.device-code-expired');

/** The pairing code expired before anyone approved it (RFC 8628 expired_token). */
export class DeviceCodeExpiredError extends GodmodeError {
  private readonly [marker] = true;

  /** Message and hint are redacted (redactCredentials): no URL password, key or token reaches a terminal. */
  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'AUTH_CODE_EXPIRED', audience: 'user', message: redactCredentials(options.message), hint: redactOptional(options.hint), cause: options.cause });
    this.name = 'DeviceCodeExpiredError';
  }

  static override isInstance(error: unknown): error is DeviceCodeExpiredError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

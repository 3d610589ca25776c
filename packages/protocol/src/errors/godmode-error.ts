const marker = Symbol.for('godmode.error');

/**
 * Who has to act on an error, after the Shopify CLI taxonomy:
 * - `user`: the input or the environment is wrong; the message says what to change.
 * - `external`: a command or service we called failed; the error carries what was called.
 * - `bug`: an invariant broke; report it.
 */
export type ErrorAudience = 'user' | 'external' | 'bug';

/** Base of every godmode error. Branded with a symbol so `isInstance` works across package copies. */
export class GodmodeError extends Error {
  private readonly [marker] = true;
  readonly code: string;
  readonly audience: ErrorAudience;
  /** What the user can do about it, when there is something. */
  readonly hint: string | undefined;

  constructor(options: { code: string; message: string; audience?: ErrorAudience; hint?: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GodmodeError';
    this.code = options.code;
    this.audience = options.audience ?? 'bug';
    this.hint = options.hint;
  }

  static isInstance(error: unknown): error is GodmodeError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

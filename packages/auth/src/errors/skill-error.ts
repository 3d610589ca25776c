import { GodmodeError } from '@godmode/protocol';
import { redactCredentials, redactOptional } from '../redact-credentials.js';

const marker = Symbol.for('godmode.error.skill');

/** A skill name or file that cannot be used (SKILL_INVALID, SKILL_NOT_FOUND, SKILL_NOT_OURS). */
export class SkillError extends GodmodeError {
  private readonly [marker] = true;

  /** Message and hint are redacted (redactCredentials): no URL password, key or token reaches a terminal. */
  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'SKILL_INVALID', audience: 'user', message: redactCredentials(options.message), hint: redactOptional(options.hint), cause: options.cause });
    this.name = 'SkillError';
  }

  static override isInstance(error: unknown): error is SkillError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

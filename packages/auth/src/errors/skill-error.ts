import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.skill');

/** A skill name or file that cannot be used (SKILL_INVALID, SKILL_NOT_FOUND, SKILL_NOT_OURS). */
export class SkillError extends GodmodeError {
  private readonly [marker] = true;

  constructor(options: { code?: string; message: string; hint?: string; cause?: unknown }) {
    super({ code: options.code ?? 'SKILL_INVALID', audience: 'user', message: options.message, hint: options.hint, cause: options.cause });
    this.name = 'SkillError';
  }

  static override isInstance(error: unknown): error is SkillError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.prompt-input');

/** The prompt or an attached file cannot be read, or stdin was asked for twice. */
export class PromptInputError extends GodmodeError {
  private readonly [marker] = true;
  constructor(options: { message: string; hint?: string; cause?: unknown }) {
    super({ code: 'PROMPT_INPUT', audience: 'user', message: options.message, hint: options.hint, cause: options.cause });
    this.name = 'PromptInputError';
  }

  static override isInstance(error: unknown): error is PromptInputError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.claude-version');

/** The installed Claude Code does not know an option godmode passed to it. */
export class ClaudeVersionError extends GodmodeError {
  private readonly [marker] = true;
  readonly flag: string;
  readonly installed: string | undefined;
  readonly required: string | undefined;

  constructor(options: { flag: string; installed?: string; required?: string }) {
    const need = options.required ? `; it needs ${options.required} or newer` : '';
    super({
      code: 'CLAUDE_VERSION_TOO_OLD',
      audience: 'user',
      message: `Your Claude Code (${options.installed ?? 'unknown version'}) does not support ${options.flag}${need}.`,
      hint: 'Update it with `claude update` (or `npm install -g @anthropic-ai/claude-code@latest`), or leave that option out.',
    });
    this.name = 'ClaudeVersionError';
    this.flag = options.flag;
    this.installed = options.installed;
    this.required = options.required;
  }

  static override isInstance(error: unknown): error is ClaudeVersionError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

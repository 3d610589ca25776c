import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.claude-usage-limit');

/** The Claude account's usage limit is reached; `resetsAt` says when it lifts, when Claude Code told us. */
export class ClaudeUsageLimitError extends GodmodeError {
  private readonly [marker] = true;
  readonly resetsAt: Date | undefined;

  constructor(options: { resetsAt?: Date; detail?: string }) {
    const when = options.resetsAt ? ` It resets at ${options.resetsAt.toLocaleString()}.` : '';
    super({
      code: 'CLAUDE_USAGE_LIMIT',
      audience: 'external',
      message: `Claude Code's usage limit is reached${options.detail ? ` (${options.detail})` : ''}.${when}`,
      hint: options.resetsAt ? 'Try again after the reset time, or use a different account with `claude` → `/login`.' : 'Wait for your limit to reset (see `claude` → `/usage`), then try again.',
    });
    this.name = 'ClaudeUsageLimitError';
    this.resetsAt = options.resetsAt;
  }

  static override isInstance(error: unknown): error is ClaudeUsageLimitError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

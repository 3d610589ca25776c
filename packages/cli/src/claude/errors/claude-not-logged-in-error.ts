import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.claude-not-logged-in');

/** Claude Code has no usable login: no credentials at all, or credentials the API rejected. */
export class ClaudeNotLoggedInError extends GodmodeError {
  private readonly [marker] = true;
  readonly reason: 'no-credentials' | 'rejected';

  constructor(options: { reason: 'no-credentials' | 'rejected'; detail?: string }) {
    super({
      code: 'CLAUDE_NOT_LOGGED_IN',
      audience: 'user',
      message:
        options.reason === 'no-credentials'
          ? `Claude Code is not logged in${options.detail ? ` (${options.detail})` : ''}.`
          : `Claude Code's login was rejected${options.detail ? ` (${options.detail})` : ''}.`,
      hint: 'Run `claude`, type `/login` and follow the steps; godmode then uses that login. No API key is needed.',
    });
    this.name = 'ClaudeNotLoggedInError';
    this.reason = options.reason;
  }

  static override isInstance(error: unknown): error is ClaudeNotLoggedInError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

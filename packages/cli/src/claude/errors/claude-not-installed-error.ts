import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.claude-not-installed');

/** The `claude` binary was not found: on PATH, or at `GODMODE_CLAUDE_BIN`. */
export class ClaudeNotInstalledError extends GodmodeError {
  private readonly [marker] = true;
  readonly binary: string;

  constructor(options: { binary: string; fromEnv: boolean; cause?: unknown }) {
    super({
      code: 'CLAUDE_NOT_INSTALLED',
      audience: 'user',
      message: options.fromEnv
        ? `GODMODE_CLAUDE_BIN points at ${options.binary}, which is not an executable file.`
        : 'Claude Code is not installed: no `claude` command on your PATH.',
      hint: options.fromEnv
        ? 'Fix or unset GODMODE_CLAUDE_BIN.'
        : 'Install it with `npm install -g @anthropic-ai/claude-code` (or see https://docs.claude.com/en/docs/claude-code/setup), run `claude` once to log in, then try again.',
      cause: options.cause,
    });
    this.name = 'ClaudeNotInstalledError';
    this.binary = options.binary;
  }

  static override isInstance(error: unknown): error is ClaudeNotInstalledError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

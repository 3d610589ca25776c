import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.claude-run');

/** Claude Code ended without a usable answer: it reported an error, or exited without a result. */
export class ClaudeRunError extends GodmodeError {
  private readonly [marker] = true;
  readonly exitCode: number | undefined;
  readonly stderr: string;

  constructor(options: { message: string; exitCode?: number; stderr?: string }) {
    super({
      code: 'CLAUDE_FAILED',
      audience: 'external',
      message: options.message,
      hint: options.stderr ? `Claude Code said: ${options.stderr.trim().split('\n').slice(-5).join('\n')}` : undefined,
    });
    this.name = 'ClaudeRunError';
    this.exitCode = options.exitCode;
    this.stderr = options.stderr ?? '';
  }

  static override isInstance(error: unknown): error is ClaudeRunError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

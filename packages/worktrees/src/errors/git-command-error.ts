import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.git-command');

/** A git command failed where it should not have; names the command, its arguments and where it ran. */
export class GitCommandError extends GodmodeError {
  private readonly [marker] = true;
  readonly args: string[];
  readonly cwd: string;
  readonly exitCode: number;
  readonly stderr: string;

  constructor(options: { cwd: string; args: string[]; exitCode: number; stderr: string }) {
    const tail = options.stderr.trim().split('\n').slice(-3).join('\n');
    super({
      code: 'GIT_FAILED',
      audience: 'external',
      message: `\`git ${options.args.join(' ')}\` failed in ${options.cwd} (exit ${options.exitCode})${tail ? `:\n${tail}` : '.'}`,
    });
    this.name = 'GitCommandError';
    this.args = options.args;
    this.cwd = options.cwd;
    this.exitCode = options.exitCode;
    this.stderr = options.stderr;
  }

  static override isInstance(error: unknown): error is GitCommandError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

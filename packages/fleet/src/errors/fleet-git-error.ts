import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.fleet-git');

export type FleetGitProblem = 'push-refused' | 'remote-unreachable' | 'base-missing' | 'not-a-clone' | 'integration-moved';

/** A git step of a fleet attempt failed: the command, its arguments and what git said are named. */
export class FleetGitError extends GodmodeError {
  private readonly [marker] = true;
  readonly problem: FleetGitProblem;

  constructor(options: { problem: FleetGitProblem; message: string; hint?: string; cause?: unknown }) {
    super({
      code: `FLEET_${options.problem.toUpperCase().replaceAll('-', '_')}`,
      audience: options.problem === 'not-a-clone' ? 'user' : 'external',
      message: options.message,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'FleetGitError';
    this.problem = options.problem;
  }

  static override isInstance(error: unknown): error is FleetGitError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.fleet-database');

export type DatabaseProblem = 'unreachable' | 'credentials' | 'no-database' | 'bad-url';

/**
 * The fleet database could not be used: not answering (a service failed: exit 3), or the URL, user, password
 * or database name is wrong (the input is wrong: exit 2). The password is never part of the message.
 */
export class FleetDatabaseError extends GodmodeError {
  private readonly [marker] = true;
  readonly problem: DatabaseProblem;

  constructor(options: { problem: DatabaseProblem; where: string; detail: string; cause?: unknown }) {
    const messages: Record<DatabaseProblem, string> = {
      unreachable: `The fleet database at ${options.where} does not answer (${options.detail}).`,
      credentials: `The fleet database at ${options.where} refused the user or password (${options.detail}).`,
      'no-database': `The fleet database at ${options.where} does not exist (${options.detail}).`,
      'bad-url': `${options.where} is not a PostgreSQL URL (${options.detail}).`,
    };
    const hints: Record<DatabaseProblem, string> = {
      unreachable: 'Check that PostgreSQL runs there and that this machine can reach its host and port (firewall, VPN); then start the agent again.',
      credentials: 'Put the right user and password in the URL: postgres://USER:PASSWORD@HOST:PORT/DATABASE.',
      'no-database': 'Create the database (createdb), or name an existing one at the end of the URL.',
      'bad-url': 'Use postgres://USER:PASSWORD@HOST:PORT/DATABASE.',
    };
    super({
      code: 'FLEET_DATABASE',
      audience: options.problem === 'unreachable' ? 'external' : 'user',
      message: messages[options.problem],
      hint: hints[options.problem],
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'FleetDatabaseError';
    this.problem = options.problem;
  }

  static override isInstance(error: unknown): error is FleetDatabaseError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

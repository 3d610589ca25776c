import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.dashboard-listen');

/** The dashboard could not listen on the port asked for (taken, or not allowed). */
export class DashboardListenError extends GodmodeError {
  private readonly [marker] = true;
  readonly port: number;

  constructor(options: { port: number; reason: string; cause?: unknown }) {
    super({
      code: 'DASHBOARD_LISTEN',
      audience: 'user',
      message: `The dashboard cannot listen on 127.0.0.1:${options.port}: ${options.reason}.`,
      hint: 'Pick another port with --port, or leave it out to take a free one.',
      cause: options.cause,
    });
    this.name = 'DashboardListenError';
    this.port = options.port;
  }

  static override isInstance(error: unknown): error is DashboardListenError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

import { ExitCode } from './exit-codes.js';

/**
 * The exit code of a command that conducted or followed a run (`orchestra run`, `demo`, `watch`, `takeover`):
 * 130 when the user interrupted it, 1 when the run ended with a stream not shipped (or was stopped before
 * it ended), 0 when every stream shipped. A run started in the background (`--detach`) has no outcome yet: 0.
 */
export function outcomeExitCode(outcome: { interrupted?: boolean; detached?: boolean; stopped?: boolean; shipped: number; streams: number }): ExitCode {
  if (outcome.interrupted) return ExitCode.interrupted;
  if (outcome.detached) return ExitCode.ok;
  if (outcome.stopped || outcome.shipped < outcome.streams) return ExitCode.failedOutcome;
  return ExitCode.ok;
}

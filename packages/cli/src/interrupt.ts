import { ExitCode } from './exit-codes.js';

/**
 * Ctrl-C (SIGINT) and SIGTERM for a command that ends gracefully: the first one aborts `signal` (the command
 * stops its work and exits 130), a second one leaves at once with 130. The handlers stay installed until
 * `dispose` — a `once` handler would be gone while the first signal is still being handled, and then
 * signal-exit (used by execa) re-raises the signal and the process dies without its outcome.
 */
export function interruptOn(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): { signal: AbortSignal; controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    controller,
    dispose: () => {
      for (const s of signals) process.off(s, handler);
    },
  };
}

import type { RunStore } from './run-store.js';

/**
 * Whether the run has ended: its journal's last word is `run.finished` (a run stopped by `orchestra stop`
 * ends with it too), with no takeover after it. A finished run is read-only to takeover: its merge, tests and
 * receipts are done, and running them again would journal a second end.
 */
export async function isFinished(store: RunStore): Promise<boolean> {
  let finished = false;
  await store.journal.scan(
    (e) => {
      if (e.kind === 'run.finished') finished = true;
      else if (e.kind === 'run.takeover' || e.kind === 'run.started') finished = false;
    },
    () => {},
    { lazy: () => true },
  );
  return finished;
}

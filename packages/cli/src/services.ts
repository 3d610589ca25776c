import { GodmodeError } from '@godmode/protocol';

/** Options of `godmode orchestra run` as the conductor sees them. */
export interface RunRequest {
  planFile?: string;
  resume?: string;
  cwd: string;
  detach: boolean;
  onEvent: (event: Record<string, unknown>) => void;
  signal?: AbortSignal;
  /** For the demo: SIGKILL the conductor mid-run and take over. */
  chaos?: boolean;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  detached: boolean;
  shipped: number;
  streams: number;
  /** The run was stopped (`orchestra stop`) before it ended: a failed outcome whatever shipped. */
  stopped?: boolean;
  scorecardFile: string | null;
  receiptFile: string | null;
  receiptHtml: string | null;
}

/**
 * What the commands need from the composition root (apps/godmode) but may not import from it,
 * because dependencies point one way: cli ← app. The app provides these before oclif runs.
 */
export interface Services {
  run(request: RunRequest): Promise<RunOutcome>;
  takeover(request: { run: string; cwd: string; onEvent: RunRequest['onEvent']; signal?: AbortSignal }): Promise<RunOutcome & { audited: boolean }>;
  stop(request: { run: string; cwd: string; by: string }): Promise<{ runDir: string; stopped: boolean; message: string }>;
  demo(request: { cwd: string; chaos: boolean; onEvent: RunRequest['onEvent']; signal?: AbortSignal }): Promise<RunOutcome>;
}

let provided: Services | undefined;

export function provideServices(services: Services): void {
  provided = services;
}

export function services(): Services {
  if (!provided) {
    throw new GodmodeError({ code: 'NO_SERVICES', message: 'godmode was started without its conductor; run it through the `godmode` binary.' });
  }
  return provided;
}

import type { WorkerEvent } from '@godmode/protocol';
import type { SweptProcess } from './worker/sweep-run.js';

type Base = Pick<WorkerEvent, 'worker' | 't' | 'at'>;

/**
 * Why a worker failed, when its output or its start says so. `retryable: false` means another attempt cannot
 * succeed as things are (binary missing, not logged in); `resetAt` is when a usage limit lifts.
 */
export interface WorkerFailure {
  code: 'not-found' | 'not-executable' | 'spawn-failed' | 'not-logged-in' | 'usage-limit' | 'api-error' | 'billing';
  message: string;
  retryable: boolean;
  resetAt?: string;
}

/** Why godmode itself ended a worker: not a failure of the worker. */
export type StopReason = 'reaped' | 'after-result' | 'stopped' | 'unrecorded';

export type ExitedEvent = Extract<WorkerEvent, { type: 'exited' }> & {
  /** Set when godmode ended the worker on purpose (a SIGTERM exit code such as 143 is then not a failure). */
  stopped: StopReason | null;
  /** What the worker's output (or its start) says went wrong; null when nothing was recognised. */
  reason: WorkerFailure | null;
};

/** Processes of an attempt still alive after its leader exited, ended by the supervisor (journal it; it is not a failure). */
export type SweptEvent = Base & { type: 'swept'; processes: SweptProcess[]; survivors: number; lingeredMs: number };

/** A worker that could not be started at all (its binary is missing, not executable…). An `exited` follows. */
export type SpawnFailedEvent = Base & { type: 'spawn-failed'; reason: WorkerFailure };

/** Everything a supervisor emits: the protocol's worker events (with a richer `exited`), `swept` and `spawn-failed`. */
export type SupervisorEvent = Exclude<WorkerEvent, { type: 'exited' }> | ExitedEvent | SweptEvent | SpawnFailedEvent;

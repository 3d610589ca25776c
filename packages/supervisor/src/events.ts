import type { WorkerEvent, WorkerFailure as ProtocolWorkerFailure } from '@godmode/protocol';

/**
 * Why a worker failed, when its output or its start says so (the protocol's `workerFailureSchema`).
 * `retryable: false` means another attempt cannot succeed as things are; `resetAt` is when a usage limit lifts.
 */
export type WorkerFailure = ProtocolWorkerFailure;

/** Why godmode itself ended a worker: not a failure of the worker. */
export type StopReason = 'reaped' | 'after-result' | 'stopped' | 'unrecorded';

/** The protocol's `exited`, whose `stopped` and `reason` a supervisor always sets. */
export type ExitedEvent = Extract<WorkerEvent, { type: 'exited' }> & {
  /** Set when godmode ended the worker on purpose (a SIGTERM exit code such as 143 is then not a failure). */
  stopped: StopReason | null;
  /** What the worker's output (or its start) says went wrong; null when nothing was recognised. */
  reason: WorkerFailure | null;
};

/** Processes of an attempt still alive after its leader exited, ended by the supervisor (journal it; it is not a failure). */
export type SweptEvent = Extract<WorkerEvent, { type: 'swept' }>;

/** A worker that could not be started at all (its binary is missing, not executable…). An `exited` follows. */
export type SpawnFailedEvent = Extract<WorkerEvent, { type: 'spawn-failed' }>;

/**
 * Everything a supervisor emits about its workers: the protocol's worker events (`workerEventSchema`, which
 * `swept` and `spawn-failed` are part of), with `exited` always carrying `stopped` and `reason`. The
 * machine-level `GovernorSample` goes out on its own stream (`Supervisor.governorSamples()`).
 */
export type SupervisorEvent = Exclude<WorkerEvent, { type: 'exited' }> | ExitedEvent;

import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/** Who a worker is, so that a reused pid is never mistaken for it. */
export const workerIdentitySchema = /* @__PURE__ */ lazySchema(() => z.object({
  stream: z.string(),
  attempt: z.number().int().positive(),
  /** 0 for a worker that never started: its `spawn-failed` and `exited` carry it, and nothing ever signals pid 0 for it. */
  pid: z.number().int().nonnegative(),
  /** Process start time in clock ticks since boot, field 22 of `/proc/<pid>/stat` (`not-started-…` when pid is 0). */
  startTime: z.string(),
  cmdline: z.string(),
  /** Process group id (the worker leads its own group); 0 with pid 0. */
  pgid: z.number().int().nonnegative(),
}));
export type WorkerIdentity = z.infer<typeof workerIdentitySchema>;

/** The fields every worker event has; a function so that importing the protocol builds no zod schema. */
const base = () => ({
  worker: workerIdentitySchema,
  /** Monotonic milliseconds (performance.now() of the emitting process plus its time origin). */
  t: z.number(),
  /** Wall clock, ISO 8601. */
  at: z.string(),
});

export const processStateSchema = /* @__PURE__ */ lazySchema(() => z.enum(['running', 'sleeping', 'stopped', 'zombie', 'gone']));
export type ProcessState = z.infer<typeof processStateSchema>;

/**
 * Why a worker failed, when its output or its start says so. `retryable: false` means another attempt cannot
 * succeed as things are (binary missing, not logged in); `resetAt` is when a usage limit lifts.
 */
export const workerFailureSchema = /* @__PURE__ */ lazySchema(() => z.object({
  code: z.enum(['not-found', 'not-executable', 'spawn-failed', 'not-logged-in', 'usage-limit', 'api-error', 'billing']),
  message: z.string(),
  retryable: z.boolean(),
  resetAt: z.string().optional(),
}));
export type WorkerFailure = z.infer<typeof workerFailureSchema>;

/** A process of an attempt still alive after its leader exited, that the supervisor ended. */
export const sweptProcessSchema = /* @__PURE__ */ lazySchema(() => z.object({
  pid: z.number().int().positive(),
  command: z.string(),
  /** How it was known to be the worker's: its tree (group, session, parent links) or its environment mark. */
  via: z.enum(['tree', 'mark']),
}));
export type SweptProcess = z.infer<typeof sweptProcessSchema>;

export const workerEventSchema = /* @__PURE__ */ lazySchema(() => z.discriminatedUnion('type', [
  z.object({ ...base(), type: z.literal('spawned'), logs: z.object({ stdout: z.string(), stderr: z.string() }), workdir: z.string() }),
  z.object({ ...base(), type: z.literal('adopted'), offsets: z.object({ stdout: z.number(), stderr: z.number() }) }),
  z.object({ ...base(), type: z.literal('output'), stream: z.enum(['stdout', 'stderr']), bytes: z.number(), line: z.string().optional() }),
  /** Something an adapter understood in the output, e.g. a Claude Code tool use. */
  z.object({ ...base(), type: z.literal('activity'), kind: z.string(), detail: z.record(z.string(), z.unknown()).default({}) }),
  z.object({ ...base(), type: z.literal('progress'), created: z.number(), changed: z.number(), paths: z.array(z.string()) }),
  z.object({
    ...base(),
    type: z.literal('sample'),
    state: processStateSchema,
    cpuSeconds: z.number(),
    cpuShare: z.number(),
    processes: z.number().int(),
    quietMs: z.number(),
  }),
  z.object({ ...base(), type: z.literal('paused'), reason: z.string() }),
  z.object({ ...base(), type: z.literal('resumed'), reason: z.string() }),
  z.object({ ...base(), type: z.literal('stalled'), quietMs: z.number(), reason: z.string() }),
  z.object({ ...base(), type: z.literal('budget-exceeded'), budgetMs: z.number() }),
  z.object({ ...base(), type: z.literal('rate-limited'), resetsAt: z.string().nullable() }),
  z.object({
    ...base(),
    type: z.literal('result'),
    isError: z.boolean(),
    subtype: z.string(),
    sessionId: z.string().nullable(),
    numTurns: z.number().nullable(),
    costUsd: z.number().nullable(),
    usage: z.record(z.string(), z.unknown()).nullable(),
    text: z.string().nullable(),
  }),
  z.object({ ...base(), type: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ ...base(), type: z.literal('reaped'), signal: z.string(), survivors: z.number().int() }),
  z.object({
    ...base(),
    type: z.literal('exited'),
    /** `exited`: normal exit; `after-result`: stopped after its final result; `vanished`: adopted, code unknown. */
    how: z.enum(['exited', 'after-result', 'vanished', 'reaped']),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    /** Set when godmode ended the worker on purpose (a SIGTERM exit code such as 143 is then not a failure). */
    stopped: z.enum(['reaped', 'after-result', 'stopped', 'unrecorded']).nullable().optional(),
    /** What the worker's output (or its start) says went wrong; null when nothing was recognised. */
    reason: workerFailureSchema.nullable().optional(),
  }),
  /** Processes of an attempt still alive after its leader exited, ended by the supervisor (not a failure of the worker). */
  z.object({ ...base(), type: z.literal('swept'), processes: z.array(sweptProcessSchema), survivors: z.number().int().nonnegative(), lingeredMs: z.number().nonnegative() }),
  /** A worker that could not be started at all (its binary is missing, not executable…). An `exited` with the same `reason` follows. */
  z.object({ ...base(), type: z.literal('spawn-failed'), reason: workerFailureSchema }),
]));
export type WorkerEvent = z.infer<typeof workerEventSchema>;
export type WorkerEventType = WorkerEvent['type'];

/** The supervisor's machine-level event (not a worker's): one barrel line exports both. */
export { governorSampleKind, governorSampleSchema, type GovernorSample } from './governor-sample.js';

import { z } from 'zod';

/** One line of `journal.jsonl`. `seq` starts at 1 and has no gaps. */
export const journalEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  kind: z.string().min(1),
  /** Fencing token of the conductor that wrote it; absent for writers that hold no lease (e.g. `reconcile`). */
  token: z.number().int().nonnegative().optional(),
  payload: z.unknown(),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** The kinds of entry godmode itself writes. Plugins may add their own, namespaced (`myplugin.*`). */
export const journalKinds = {
  runStarted: 'run.started',
  runFinished: 'run.finished',
  runStopped: 'run.stopped',
  phaseStarted: 'phase.started',
  phaseFinished: 'phase.finished',
  leaseAcquired: 'lease.acquired',
  takeover: 'run.takeover',
  audit: 'run.audit',
  streamQueued: 'stream.queued',
  streamSpawned: 'stream.spawned',
  streamRetryScheduled: 'stream.retry-scheduled',
  streamReconciled: 'stream.reconciled',
  streamSignoff: 'stream.signoff',
  /** Every supervisor event is journaled as `worker.<type>`, e.g. `worker.exited`. */
  workerPrefix: 'worker.',
  mergeFinished: 'merge.finished',
  scoreWritten: 'score.written',
} as const;

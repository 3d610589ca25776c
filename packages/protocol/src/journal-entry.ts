import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/** One line of `journal.jsonl`. `seq` starts at 1 and has no gaps. */
export const journalEntrySchema = /* @__PURE__ */ lazySchema(() => z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  kind: z.string().min(1),
  /** Fencing token of the conductor that wrote it; absent for writers that hold no lease (e.g. `reconcile`). */
  token: z.number().int().nonnegative().optional(),
  payload: z.unknown(),
}));
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
  /** The run's repository, base commit and integration branch; the first entry of a run on a git repository. */
  runRepository: 'run.repository',
  /** A stream attempt's worktree is in place (path, branch, the phase base it started from). */
  streamWorktree: 'stream.worktree',
  /** The plan's `setup` ran in a stream's new worktree (exit code, timed out, output tail). */
  streamSetup: 'stream.setup',
  /** A shipped stream's snapshot was merged into the integration branch; its checks have yet to pass. */
  mergeApplied: 'merge.applied',
  /** The merge stays: the integration branch's head after it (a takeover resets the integration tree here). */
  mergeKept: 'merge.kept',
  /** A merge that broke a check was taken back. */
  mergeUndone: 'merge.undone',
  /** The merge queue held a stream: `conflicts` (files named) or `breaks <check>` (output kept). */
  streamHeld: 'stream.held',
  /** A merged stream changed files outside what it declared it `owns` (evidence, not a verdict change). */
  streamOutsideOwns: 'stream.outside-owns',
  /** Claude (or another adapter) hit a usage limit with a reset time: its admissions wait for the whole run until then. */
  admissionsHeld: 'admissions.held',
  /** The hold lifted: the first stream waiting on it was admitted. */
  admissionsResumed: 'admissions.resumed',
  /** A stream waits for an adapter's admission hold (until, reason). */
  streamAdmissionHeld: 'stream.admission-held',
  /** A taker ended a check, setup or merge-queue command the dead conductor had started (it runs it again itself). */
  checkEndedByTakeover: 'check.ended-by-takeover',
  /** The machine's CPU against the ceiling, as the governor saw it (on change, or every 10th period). */
  governorSample: 'governor.sample',
  scoreWritten: 'score.written',
} as const;

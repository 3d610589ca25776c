import type { GodmodeError, JournalEntry, Plan, Verdict, WorkerIdentity } from '@godmode/protocol';
import type { HashCache } from '@godmode/reconciler';
import type { RunStore } from '@godmode/run-store';
import type { Supervisor } from '@godmode/supervisor';
import type { FleetSeam } from '../fleet/fleet-attempt.js';
import type { AdmissionHolds } from './admission-hold.js';
import type { RunRepository } from './run-repository.js';
import type { WorkerEvents } from './worker-events.js';

/** Why the merge queue held a stream, as its next attempt is told. */
export interface Hold {
  reason: 'conflicts' | `breaks ${string}`;
  files: string[];
  output: string;
}

/** What the conductor knows of one stream, rebuilt from the journal on takeover. */
export interface StreamProgress {
  attempts: number;
  verdict: Verdict | null;
  /** A worker found alive at takeover and adopted; its attempt number. */
  adopted: { identity: WorkerIdentity; attempt: number } | null;
  /** On a repository: the commit the stream's worktree started from (its phase base, or the head it was retried on). */
  base: string | null;
  /** On a repository: the snapshot commit the verdict judged (what the merge queue merges). */
  snapshot: string | null;
  /** Claude Code's session of the latest attempt (`system/init`), resumed by the next one. */
  sessionId: string | null;
  /** The final answer a worker printed (Claude Code's `result` text), by attempt: its claim when it wrote no result.json. */
  finalAnswer: { attempt: number; text: string } | null;
  /** Set when the merge queue held the stream and it is being retried on the new integration head. */
  hold: Hold | null;
  /** One extra attempt granted by an `onHold: retry`. */
  extraAttempts: number;
  /** Attempts that ended on a usage limit naming its reset (journaled `admissions.held`): not counted against the stream. */
  limitedAttempts: number;
}

/** What every part of a run (phases, streams, the merge queue, adoption) shares; the conductor provides it. */
export interface RunContext {
  readonly store: RunStore;
  readonly plan: Plan;
  readonly planDir: string;
  readonly supervisor: Supervisor;
  readonly events: WorkerEvents;
  readonly hashes: HashCache;
  /** Aborted when the run must stop (asked to, lease lost, or a fatal error). */
  readonly stopSignal: AbortSignal;
  /** The run's repository, base and integration branch; null for a run in plain folders. */
  readonly repository: RunRepository | null;
  /** True while this conductor holds the lease. */
  readonly acting: boolean;
  readonly canaries: { values: string[]; env: Record<string, string> };
  /** Set for a fleet run: attempts go to agents through it instead of the local supervisor. */
  readonly fleet: FleetSeam | null;
  /** Holds on an adapter's admissions for the whole run (a usage limit until its reset). */
  readonly admissions: AdmissionHolds;
  progress(streamId: string): StreamProgress;
  journal(kind: string, payload: unknown): Promise<JournalEntry | null>;
  /** Every journal entry so far (read from the store). */
  entries(): Promise<JournalEntry[]>;
  /** Ends the run: the error is thrown once the run has stopped and been recorded. */
  fail(error: GodmodeError): void;
  onEvent(event: Record<string, unknown>): void;
}

export function newProgress(): StreamProgress {
  return { attempts: 0, verdict: null, adopted: null, base: null, snapshot: null, sessionId: null, finalAnswer: null, hold: null, extraAttempts: 0, limitedAttempts: 0 };
}

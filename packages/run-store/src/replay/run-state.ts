import type { ClaimReading, JournalEntry, Verdict, WorkerIdentity } from '@godmode/protocol';

export type RunStatus = 'running' | 'finished' | 'stopped' | 'unknown';
/** `held`: waiting for a hold on its adapter's admissions (a usage limit) to lift; see `StreamState.heldUntil`. */
export type StreamStatus = 'pending' | 'running' | 'retry-wait' | 'held' | 'done' | 'failed';

export interface AttemptState {
  n: number;
  identity?: WorkerIdentity;
  logs?: { stdout: string; stderr: string };
  startedAt: string;
  exitedAt?: string;
  exit?: { how: string; exitCode: number | null; signal: string | null };
  /** Why the worker failed, as it said (not logged in, API error, usage limit); see `workerFailureReason`. Worker text. */
  failure?: string;
}

export interface StreamState {
  id: string;
  phase: string;
  state: StreamStatus;
  attempts: AttemptState[];
  /** The latest verdict journaled for the stream. */
  verdict: Verdict | null;
  /** How the latest verdict read the worker's claim. */
  claim?: ClaimReading;
  /** While `held`: when the hold on its adapter's admissions lifts (ISO 8601), as journaled with `stream.admission-held`. */
  heldUntil?: string;
  /** The stream's last entries (at most `lastEventsKept`), oldest first. */
  lastEvents: JournalEntry[];
}

/** A run as its journal tells it. */
export interface RunState {
  runId: string;
  planName: string;
  status: RunStatus;
  startedAt: string | null;
  finishedAt: string | null;
  lastSeq: number;
  /** The fencing token of the newest entry that carries one (0 when none). */
  holderToken: number;
  streams: Record<string, StreamState>;
  /** Whether the last line was cut short by a crash (ignored, not a problem). */
  tornTail: boolean;
  /** Corrupt lines, gaps in seq, entries that make no sense: reported, never silently skipped. */
  problems: string[];
}

export const lastEventsKept = 10;

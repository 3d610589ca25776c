/**
 * What the server sends the page (JSON over server-sent events). Every string that came from a worker
 * has been through `pageText`; the whole message through the canary redactor.
 */

export type RowState = 'queued' | 'running' | 'paused' | 'stalled' | 'exited' | 'retry-wait' | 'shipped' | 'partial' | 'missing' | 'held';

export interface StreamRow {
  id: string;
  phase: string;
  state: RowState;
  /** Why: the governor's reason for a pause, the stall's, the merge queue's for a hold. */
  why: string | null;
  attempt: number;
  /** Epoch ms the current attempt started; null before the first. */
  startedAt: number | null;
  /** Epoch ms the current attempt's worker exited. */
  endedAt: number | null;
  pid: number | null;
  pauses: number;
  /** The latest verdict's status (a held stream keeps its `shipped`). */
  verdict: 'shipped' | 'partial' | 'missing' | null;
  /** The verdict's one sentence. */
  sentence: string | null;
  /** What the worker's own claim said, as the reconciler read it. */
  claim: string;
  /** What the disk shows: "shipped — 6 of 6 deliverables". */
  disk: string;
  divergence: string | null;
  lastLine: string | null;
}

export type MarkKind = 'pause' | 'resume' | 'stall' | 'exit' | 'reap';

export interface WorkerSeries {
  /** `<stream>#<attempt>`. */
  key: string;
  stream: string;
  attempt: number;
  /** Bumped when the series was thinned: the page replaces it instead of appending. */
  gen: number;
  /** Seconds since the run started. */
  t: number[];
  /** CPU of the worker's process tree, in cores. */
  cpu: number[];
  /** Output bytes so far. */
  out: number[];
  /** Files created or changed so far. */
  writes: number[];
  marks: Array<{ t: number; kind: MarkKind; why: string }>;
}

export interface MachineSeries {
  gen: number;
  t: number[];
  /** Sum of the run's workers' CPU over the machine's cores (0..1). */
  run: number[];
  /** Machine CPU as the governor reported it when it paused or resumed (0..1). */
  reported: Array<{ t: number; load: number }>;
  /** The plan's ceiling (0..1): the line drawn before the first governor sample, and for runs that have none. */
  ceiling: number;
  cores: number;
  /** The machine as the governor sampled it (`governor.sample` entries): its CPU, the ceiling, paused workers. */
  governor: GovernorSeries;
}

export interface GovernorSeries {
  /** Bumped when the series was thinned: the page replaces it instead of appending. */
  gen: number;
  /** Seconds since the run started. */
  t: number[];
  /** Machine CPU, share of all cores (0..1). */
  cpu: number[];
  /** The ceiling the governor kept (0..1). */
  ceiling: number[];
  /** Workers paused by the governor. */
  paused: number[];
}

export interface MergeView {
  phase: string;
  merged: string[];
  held: Array<{ stream: string; why: string }>;
  skipped: Array<{ stream: string; why: string }>;
  error: string | null;
}

export interface ConductorView {
  holder: string | null;
  pid: number | null;
  token: number;
  /** Whether the lease is live now (held and not expired). */
  live: boolean;
  expiresAt: number | null;
}

export interface Takeover {
  at: number;
  holder: string;
  token: number | null;
  previousToken: number | null;
  why: string;
}

export interface ScoreView {
  overall: number | null;
  points: number | null;
  level: number | null;
  dimensions: Array<{ name: string; score: number | null; why: string }>;
  /** The cost table's total row. */
  cost: { usd: number; tokens: number; cpuSeconds: number; wallMs: number | null } | null;
  achievements: string[];
}

export interface RunHeader {
  runId: string;
  planName: string;
  status: 'running' | 'finished' | 'stopped' | 'unknown';
  startedAt: number | null;
  finishedAt: number | null;
  lastSeq: number;
  phases: Array<{ id: string; state: 'pending' | 'running' | 'finished' }>;
  conductor: ConductorView | null;
  /** An unfinished run whose lease is not live: nobody conducts it. */
  conductorGone: boolean;
  takeovers: Takeover[];
  merges: MergeView[];
  score: ScoreView | null;
  problems: string[];
}

export interface RunSnapshot {
  type: 'snapshot';
  run: RunHeader;
  rows: StreamRow[];
  workers: Array<WorkerSeries & { marksFrom: number }>;
  machine: MachineSeries & { reportedFrom: number };
}

/** What changed since the last message: whole rows, the header, and series tails (or whole series when `gen` moved). */
export interface RunPatch {
  type: 'patch';
  run: RunHeader;
  rows: StreamRow[];
  workers: Array<WorkerSeries & { from: number; marksFrom: number }>;
  machine: MachineSeries & { from: number; reportedFrom: number; governor: GovernorSeries & { from: number } };
}

export interface RunListItem {
  id: string;
  state: 'running' | 'finished' | 'stopped' | 'orphaned';
  holder: string | null;
  startedAt: string | null;
  updatedAt: string | null;
}

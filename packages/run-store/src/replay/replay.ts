import { planStreams, readVerdict as verdictOf, workerFailureReason, type JournalEntry, type Plan, type Verdict, type WorkerIdentity } from '@godmode/protocol';
import type { CorruptLine } from '../journal/scan-journal.js';
import { lastEventsKept, type AttemptState, type RunState, type StreamState } from './run-state.js';

type Payload = Record<string, unknown>;

/** Worker kinds replay reads in full: identity and exit, and the rare ones that say why a worker failed. */
const workerKindsReplayReads = new Set(['worker.spawned', 'worker.adopted', 'worker.exited', 'worker.error', 'worker.result', 'worker.rate-limited']);

/**
 * Kinds whose payload replay does not read beyond the worker's stream: the scan may leave them unparsed
 * (they are still checked to be whole JSON, and the ones kept as last events are parsed in full).
 */
export function replaySkimsPayload(kind: string): boolean {
  return kind.startsWith('worker.') && !workerKindsReplayReads.has(kind);
}

const workerStream = /"worker":\{[^{}]*?"stream":"((?:[^"\\]|\\.)*)"/;

/**
 * Folds journal entries into a run state, one at a time, so a journal of millions of entries replays
 * without being held in memory. Pure: feed it entries (`entry`), corrupt lines (`corrupt`), then `finish`.
 */
export class RunStateBuilder {
  private readonly state: RunState;
  private readonly recent = new Map<string, Array<{ e: JournalEntry; text: string | undefined }>>();
  private expectedSeq = 1;

  constructor(runId: string, plan: Plan) {
    const streams: Record<string, StreamState> = {};
    for (const { phase, stream } of planStreams(plan)) {
      streams[stream.id] = { id: stream.id, phase: phase.id, state: 'pending', attempts: [], verdict: null, lastEvents: [] };
    }
    this.state = {
      runId,
      planName: plan.name,
      status: 'unknown',
      startedAt: null,
      finishedAt: null,
      lastSeq: 0,
      holderToken: 0,
      streams,
      tornTail: false,
      problems: [],
    };
  }

  corrupt(line: CorruptLine): void {
    this.state.problems.push(`journal line ${line.line} is corrupt (${line.error}): ${line.text}`);
  }

  /** One entry; `payloadText` when the scan left its payload unparsed (see `replaySkimsPayload`). */
  entry(e: JournalEntry, payloadText?: string): void {
    const s = this.state;
    let skimmedStream: string | undefined;
    if (payloadText !== undefined) {
      skimmedStream = workerStream.exec(payloadText)?.[1];
      if (skimmedStream === undefined || skimmedStream.includes('\\')) {
        // Not the usual shape: read it in full after all.
        skimmedStream = undefined;
        try {
          e.payload = JSON.parse(payloadText) as unknown;
        } catch (error) {
          s.problems.push(`journal seq ${e.seq} (${e.kind}) has a payload that is not JSON: ${(error as Error).message}`);
          e.payload = null;
        }
        payloadText = undefined;
      }
    }
    if (e.seq !== this.expectedSeq) {
      s.problems.push(
        e.seq > this.expectedSeq
          ? `journal seq jumps from ${this.expectedSeq - 1} to ${e.seq} (${e.seq - this.expectedSeq} missing)`
          : `journal seq ${e.seq} repeats or goes back (after ${this.expectedSeq - 1})`,
      );
    }
    this.expectedSeq = Math.max(this.expectedSeq, e.seq + 1);
    s.lastSeq = Math.max(s.lastSeq, e.seq);
    if (e.token !== undefined) s.holderToken = e.token;
    if (s.status === 'unknown') s.status = 'running';

    const p = (e.payload !== null && typeof e.payload === 'object' ? e.payload : {}) as Payload;
    const isWorker = e.kind.startsWith('worker.');
    const streamId =
      skimmedStream !== undefined
        ? skimmedStream
        : isWorker
          ? workerOf(p)?.stream
          : typeof p.stream === 'string'
            ? p.stream
            : undefined;
    if (isWorker && streamId === undefined) {
      s.problems.push(`journal seq ${e.seq} (${e.kind}) names no worker`);
      return;
    }
    const stream = streamId === undefined ? undefined : s.streams[streamId];
    if (streamId !== undefined && stream === undefined) {
      s.problems.push(`journal seq ${e.seq} (${e.kind}) names stream "${streamId}", which is not in the plan`);
      return;
    }
    if (stream) this.remember(stream.id, e, payloadText);
    if (payloadText !== undefined) return;

    switch (e.kind) {
      case 'run.started':
        s.status = 'running';
        s.startedAt ??= e.at;
        return;
      case 'run.takeover':
        s.status = 'running';
        s.finishedAt = null;
        s.startedAt ??= e.at;
        return;
      case 'run.stopped':
        s.status = 'stopped';
        s.finishedAt = e.at;
        return;
      case 'run.finished':
        s.status = p.stopped === true || s.status === 'stopped' ? 'stopped' : 'finished';
        s.finishedAt = e.at;
        return;
    }
    if (!stream) return;

    switch (e.kind) {
      case 'stream.queued':
        if (stream.state !== 'done') stream.state = 'pending';
        return;
      case 'stream.spawned': {
        const n = positiveInt(p.attempt) ?? stream.attempts.length + 1;
        const attempt = this.attempt(stream, n, e.at);
        if (isIdentity(p.identity)) attempt.identity = p.identity;
        if (isLogs(p.logs)) attempt.logs = p.logs;
        stream.state = 'running';
        delete stream.heldUntil;
        return;
      }
      case 'stream.retry-scheduled':
        stream.state = 'retry-wait';
        return;
      case 'stream.admission-held':
        if (stream.state === 'done') return;
        stream.state = 'held';
        if (typeof p.until === 'string') stream.heldUntil = p.until;
        return;
      case 'stream.reconciled': {
        const verdict = readVerdict(p);
        if (verdict === null) {
          s.problems.push(`journal seq ${e.seq} (stream.reconciled) carries no readable verdict for "${stream.id}"`);
          return;
        }
        stream.verdict = verdict;
        stream.claim = verdict.claim;
        stream.state = verdict.status === 'shipped' ? 'done' : 'failed';
        delete stream.heldUntil;
        return;
      }
      case 'stream.signoff':
        stream.state = p.status === 'shipped' ? 'done' : 'failed';
        return;
    }
    if (!isWorker) return;

    const worker = workerOf(p) as WorkerIdentity;
    switch (e.kind) {
      case 'worker.spawned': {
        const attempt = this.attempt(stream, worker.attempt, e.at);
        attempt.identity ??= worker;
        if (isLogs(p.logs)) attempt.logs ??= p.logs;
        stream.state = 'running';
        return;
      }
      case 'worker.adopted': {
        const attempt = this.attempt(stream, worker.attempt, e.at);
        attempt.identity ??= worker;
        stream.state = 'running';
        return;
      }
      case 'worker.exited': {
        const attempt = this.attempt(stream, worker.attempt, e.at);
        attempt.exitedAt = e.at;
        attempt.exit = {
          how: typeof p.how === 'string' ? p.how : 'exited',
          exitCode: typeof p.exitCode === 'number' ? p.exitCode : null,
          signal: typeof p.signal === 'string' ? p.signal : null,
        };
        return;
      }
      case 'worker.error':
      case 'worker.result':
      case 'worker.rate-limited': {
        const reason = workerFailureReason(e.kind, p);
        if (reason === null) return;
        const attempt = this.attempt(stream, worker.attempt, e.at);
        // The first reason is the cause; what follows (an error result after a not-logged-in error) repeats it.
        attempt.failure ??= reason;
        return;
      }
    }
  }

  finish(tornTail: boolean): RunState {
    for (const [id, events] of this.recent) {
      const stream = this.state.streams[id];
      if (!stream) continue;
      stream.lastEvents = events.slice(-lastEventsKept).map(({ e, text }) => {
        if (text !== undefined) {
          try {
            e.payload = JSON.parse(text) as unknown;
          } catch (error) {
            this.state.problems.push(`journal seq ${e.seq} (${e.kind}) has a payload that is not JSON: ${(error as Error).message}`);
          }
        }
        return e;
      });
    }
    for (const stream of Object.values(this.state.streams)) stream.attempts.sort((a, b) => a.n - b.n);
    this.state.tornTail = tornTail;
    return this.state;
  }

  private attempt(stream: StreamState, n: number, at: string): AttemptState {
    let attempt = stream.attempts.find((a) => a.n === n);
    if (!attempt) {
      attempt = { n, startedAt: at };
      stream.attempts.push(attempt);
    }
    return attempt;
  }

  private remember(streamId: string, e: JournalEntry, text: string | undefined): void {
    let list = this.recent.get(streamId);
    if (!list) this.recent.set(streamId, (list = []));
    list.push({ e, text });
    // Trimmed in bulk, not per entry: a journal of a million outputs stays linear.
    if (list.length >= lastEventsKept * 4) list.splice(0, list.length - lastEventsKept);
  }
}

/** Replays a whole list of entries (as `Journal.read` returns them). */
export function replayEntries(
  runId: string,
  plan: Plan,
  read: { entries: JournalEntry[]; tornTail?: boolean; corrupt?: CorruptLine[] },
): RunState {
  const builder = new RunStateBuilder(runId, plan);
  // Corrupt lines are reported where they are; order among problems follows the file.
  const corrupt = [...(read.corrupt ?? [])];
  for (const e of read.entries) builder.entry(e);
  for (const c of corrupt) builder.corrupt(c);
  return builder.finish(read.tornTail ?? false);
}

function workerOf(p: Payload): WorkerIdentity | undefined {
  return isIdentity(p.worker) ? p.worker : undefined;
}

function isIdentity(value: unknown): value is WorkerIdentity {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.stream === 'string' && typeof v.pid === 'number' && typeof v.attempt === 'number';
}

function isLogs(value: unknown): value is { stdout: string; stderr: string } {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.stdout === 'string' && typeof v.stderr === 'string';
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** `stream.reconciled` carries the verdict itself (the conductor's shape) or `{ verdict }`. */
function readVerdict(p: Payload): Verdict | null {
  const candidate = p.verdict !== undefined ? p.verdict : p;
  // Without zod (`orchestra status` replays and validates nothing else): the same result as verdictSchema.
  return verdictOf(candidate);
}

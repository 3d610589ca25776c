import type { JournalEntry, Plan, Verdict, VerdictStatus } from '@godmode/protocol';
import { journalKinds, planStreams } from '@godmode/protocol';

/** What became of one worker (one attempt of one stream), from the reconciler's verdicts only. */
export type WorkerOutcome = VerdictStatus | 'retried' | 'unreconciled';

export interface WorkerRecord {
  stream: string;
  phase: string;
  attempt: number;
  /** Journal order of the worker's first appearance; the order in which combos are counted. */
  order: number;
  spawnedAt: number | null;
  endedAt: number | null;
  outcome: WorkerOutcome;
  pauses: Array<{ from: number; to: number | null; reason: string }>;
  stalls: Array<{ at: number; reason: string }>;
  reaps: Array<{ at: number; signal: string }>;
  budgetExceeded: number[];
  errors: Array<{ at: number; code: string; message: string }>;
  rateLimited: number[];
  exit: { at: number; how: string; exitCode: number | null; signal: string | null } | null;
  output: Array<{ at: number; bytes: number }>;
  progress: Array<{ at: number; created: number; changed: number }>;
  samples: Array<{ at: number; cpuShare: number; cpuSeconds: number }>;
  cpuSeconds: number;
  tokens: number;
  usd: number;
}

export interface RunIncident {
  at: number;
  stream: string | null;
  attempt: number | null;
  kind: 'paused' | 'stalled' | 'reaped' | 'budget-exceeded' | 'rate-limited' | 'error' | 'exited' | 'takeover' | 'retry' | 'moved';
  detail: string;
}

export interface JournalReading {
  workers: WorkerRecord[];
  incidents: RunIncident[];
  phases: Map<string, { startedAt: number | null; finishedAt: number | null }>;
  takeovers: number;
  startedAt: number | null;
  finishedAt: number | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const time = (...candidates: unknown[]): number | null => {
  for (const c of candidates) {
    const t = typeof c === 'string' ? Date.parse(c) : NaN;
    if (Number.isFinite(t)) return t;
  }
  return null;
};

/** Sum of the token counters of a Claude Code `usage` record (input, output, cache reads and writes). */
export function usageTokens(usage: unknown): number {
  let sum = 0;
  for (const [k, v] of Object.entries(obj(usage))) if (k.endsWith('_tokens') && typeof v === 'number') sum += v;
  return sum;
}

/**
 * Why godmode itself ended a worker (the supervisor's `StopReason`): reaped, stopped after its final result,
 * stopped gracefully once its work was done, or ended because its spawn could not be journaled.
 */
const deliberateStops = new Set(['reaped', 'after-result', 'stopped', 'unrecorded']);

/**
 * The rule for a `worker.exited` entry: a failure of the worker (a line under "What broke", returned) or not
 * (null). A non-zero code or a signal is a failure unless godmode ended the worker on purpose — its `stopped`
 * field names one of the supervisor's stop reasons, or (older journals without `stopped`) `how` says `reaped`
 * or `after-result`. So SIGTERM's 143 after a shipped worker was stopped is not a failure; the same 143 from
 * someone else's kill is. A reap is an incident of its own.
 */
export function exitFailure(payload: unknown): string | null {
  const p = obj(payload);
  const exitCode = num(p.exitCode);
  const signal = str(p.signal);
  const how = str(p.how) ?? 'exited';
  const stopped = str(p.stopped);
  if (stopped !== null && deliberateStops.has(stopped)) return null;
  if (how === 'reaped' || how === 'after-result') return null;
  if (!((exitCode !== null && exitCode !== 0) || signal !== null)) return null;
  return `exited ${signal !== null ? `by ${signal}` : `with code ${exitCode}`} (${how})`;
}

/** Each stream's latest verdict: highest attempt, then latest reconciliation. */
export function latestVerdicts(verdicts: readonly Verdict[]): Map<string, Verdict> {
  const latest = new Map<string, Verdict>();
  for (const v of verdicts) {
    const prev = latest.get(v.stream);
    if (!prev || (v.attempt ?? 0) > (prev.attempt ?? 0) || ((v.attempt ?? 0) === (prev.attempt ?? 0) && v.reconciledAt >= prev.reconciledAt)) latest.set(v.stream, v);
  }
  return latest;
}

/** The verdict a `stream.reconciled` entry carries: the payload itself, or `{ verdict }`. */
export function verdictOf(payload: unknown): Verdict | null {
  const p = obj(payload);
  const v = 'verdict' in p && typeof p.verdict === 'object' ? obj(p.verdict) : p;
  return typeof v.stream === 'string' && typeof v.status === 'string' ? (v as unknown as Verdict) : null;
}

/**
 * Replays the journal into one record per worker, robust to kinds it does not know and to kinds that
 * are missing (an old run, a crashed conductor): every field it cannot fill stays empty. Outcomes come
 * from verdicts — never from a worker's claim — so a forged `result.json` changes nothing here.
 */
export function readJournal(plan: Plan, journal: readonly JournalEntry[], verdicts: readonly Verdict[]): JournalReading {
  const phaseOf = new Map(planStreams(plan).map(({ phase, stream }) => [stream.id, phase.id]));
  const workers = new Map<string, WorkerRecord>();
  const reconciled = new Map<string, VerdictStatus>();
  const incidents: RunIncident[] = [];
  const phases = new Map<string, { startedAt: number | null; finishedAt: number | null }>(plan.phases.map((p) => [p.id, { startedAt: null, finishedAt: null }]));
  let takeovers = 0;
  let startedAt: number | null = null;
  let finishedAt: number | null = null;
  let order = 0;

  const worker = (stream: string, attempt: number): WorkerRecord => {
    const key = `${stream}#${attempt}`;
    let w = workers.get(key);
    if (!w) {
      w = {
        stream,
        phase: phaseOf.get(stream) ?? '?',
        attempt,
        order: order++,
        spawnedAt: null,
        endedAt: null,
        outcome: 'unreconciled',
        pauses: [],
        stalls: [],
        reaps: [],
        budgetExceeded: [],
        errors: [],
        rateLimited: [],
        exit: null,
        output: [],
        progress: [],
        samples: [],
        cpuSeconds: 0,
        tokens: 0,
        usd: 0,
      };
      workers.set(key, w);
    }
    return w;
  };

  for (const entry of journal) {
    const p = obj(entry.payload);
    const at = time(p.at, entry.at) ?? 0;
    const kind = entry.kind;
    if (kind === journalKinds.runStarted) startedAt ??= at;
    else if (kind === journalKinds.runFinished || kind === journalKinds.runStopped) finishedAt = at;
    else if (kind === journalKinds.phaseStarted || kind === journalKinds.phaseFinished) {
      const id = str(p.phase) ?? str(p.id);
      if (id === null) continue;
      const phase = phases.get(id) ?? { startedAt: null, finishedAt: null };
      if (kind === journalKinds.phaseStarted) phase.startedAt ??= at;
      else phase.finishedAt = at;
      phases.set(id, phase);
    } else if (kind === journalKinds.takeover) {
      takeovers++;
      incidents.push({ at, stream: null, attempt: null, kind: 'takeover', detail: str(p.reason) ?? `conductor replaced (token ${num(p.token) ?? '?'})` });
    } else if (kind === journalKinds.streamSpawned) {
      const identity = obj(p.identity);
      const stream = str(p.stream) ?? str(identity.stream);
      const attempt = num(p.attempt) ?? num(identity.attempt);
      if (stream === null || attempt === null) continue;
      worker(stream, attempt).spawnedAt ??= at;
    } else if (kind === journalKinds.streamRetryScheduled) {
      const stream = str(p.stream);
      incidents.push({ at, stream, attempt: num(p.attempt), kind: 'retry', detail: `retry ${num(p.attempt) ?? '?'} scheduled${num(p.delayMs) !== null ? ` in ${Math.round(num(p.delayMs)! / 1000)} s` : ''}` });
    } else if (kind === journalKinds.streamReconciled) {
      const verdict = verdictOf(entry.payload);
      if (!verdict) continue;
      const attempt = num(verdict.attempt);
      if (attempt !== null) {
        const w = worker(verdict.stream, attempt);
        reconciled.set(`${verdict.stream}#${attempt}`, verdict.status);
        w.endedAt = Math.max(w.endedAt ?? at, at);
      }
    } else if (kind.startsWith(journalKinds.workerPrefix)) {
      const identity = obj(p.worker);
      const stream = str(identity.stream);
      const attempt = num(identity.attempt);
      if (stream === null || attempt === null) continue;
      const w = worker(stream, attempt);
      switch (kind.slice(journalKinds.workerPrefix.length)) {
        case 'spawned':
        case 'adopted':
          w.spawnedAt ??= at;
          break;
        case 'output':
          w.output.push({ at, bytes: num(p.bytes) ?? str(p.line)?.length ?? 0 });
          break;
        case 'progress':
          w.progress.push({ at, created: num(p.created) ?? 0, changed: num(p.changed) ?? 0 });
          break;
        case 'sample': {
          const cpuSeconds = num(p.cpuSeconds) ?? 0;
          w.samples.push({ at, cpuShare: num(p.cpuShare) ?? 0, cpuSeconds });
          w.cpuSeconds = Math.max(w.cpuSeconds, cpuSeconds);
          break;
        }
        case 'paused':
          w.pauses.push({ from: at, to: null, reason: str(p.reason) ?? '' });
          incidents.push({ at, stream, attempt, kind: 'paused', detail: str(p.reason) ?? 'paused' });
          break;
        case 'resumed': {
          const open = [...w.pauses].reverse().find((x) => x.to === null);
          if (open) open.to = at;
          break;
        }
        case 'stalled':
          w.stalls.push({ at, reason: str(p.reason) ?? '' });
          incidents.push({ at, stream, attempt, kind: 'stalled', detail: `${str(p.reason) ?? 'stalled'}${num(p.quietMs) !== null ? ` (quiet ${Math.round(num(p.quietMs)! / 1000)} s)` : ''}` });
          break;
        case 'budget-exceeded':
          w.budgetExceeded.push(at);
          incidents.push({ at, stream, attempt, kind: 'budget-exceeded', detail: `budget of ${Math.round((num(p.budgetMs) ?? 0) / 1000)} s exceeded` });
          break;
        case 'rate-limited':
          w.rateLimited.push(at);
          incidents.push({ at, stream, attempt, kind: 'rate-limited', detail: `rate limited${str(p.resetsAt) ? ` until ${str(p.resetsAt)}` : ''}` });
          break;
        case 'error':
          w.errors.push({ at, code: str(p.code) ?? 'error', message: str(p.message) ?? '' });
          incidents.push({ at, stream, attempt, kind: 'error', detail: `${str(p.code) ?? 'error'}: ${str(p.message) ?? ''}` });
          break;
        case 'reaped':
          w.reaps.push({ at, signal: str(p.signal) ?? '?' });
          incidents.push({ at, stream, attempt, kind: 'reaped', detail: `process group reaped with ${str(p.signal) ?? '?'}${num(p.survivors) ? `, ${num(p.survivors)} survivors` : ''}` });
          break;
        case 'exited': {
          const exitCode = num(p.exitCode);
          const signal = str(p.signal);
          w.exit = { at, how: str(p.how) ?? 'exited', exitCode, signal };
          w.endedAt = Math.max(w.endedAt ?? at, at);
          const failure = exitFailure(p);
          if (failure !== null) incidents.push({ at, stream, attempt, kind: 'exited', detail: failure });
          break;
        }
        case 'result':
          w.usd += num(p.costUsd) ?? 0;
          w.tokens += usageTokens(p.usage);
          break;
        default:
          break;
      }
    }
  }

  // Verdicts on disk are the last word for the attempt they name (or the stream's last attempt).
  const lastAttempt = new Map<string, number>();
  for (const w of workers.values()) lastAttempt.set(w.stream, Math.max(lastAttempt.get(w.stream) ?? 0, w.attempt));
  for (const v of verdicts) {
    const attempt = v.attempt ?? lastAttempt.get(v.stream) ?? 1;
    const w = worker(v.stream, attempt);
    reconciled.set(`${v.stream}#${attempt}`, v.status);
    lastAttempt.set(v.stream, Math.max(lastAttempt.get(v.stream) ?? 0, attempt));
    w.endedAt ??= time(v.reconciledAt);
  }

  for (const w of workers.values()) {
    const status = reconciled.get(`${w.stream}#${w.attempt}`);
    if (status !== undefined) w.outcome = status;
    else if ((lastAttempt.get(w.stream) ?? 0) > w.attempt) w.outcome = 'retried';
    for (const pause of w.pauses) pause.to ??= w.endedAt ?? finishedAt;
    w.endedAt ??= lastAt(w);
  }
  incidents.sort((a, b) => a.at - b.at);
  return { workers: [...workers.values()].sort((a, b) => a.order - b.order), incidents, phases, takeovers, startedAt, finishedAt };
}

function lastAt(w: WorkerRecord): number | null {
  let last = w.spawnedAt;
  for (const list of [w.output, w.progress, w.samples, w.stalls, w.reaps]) {
    for (const x of list) if (last === null || x.at > last) last = x.at;
  }
  return last;
}

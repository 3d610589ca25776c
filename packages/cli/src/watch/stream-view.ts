import { terminalText, workerFailureReason, type JournalEntry } from '@godmode/protocol';
import { describeApiRetry } from '../render/run-event.js';

/** What the live view shows of one stream, folded from journal entries. */
export interface StreamView {
  id: string;
  phase: string;
  state: 'pending' | 'running' | 'paused' | 'stalled' | 'retry-wait' | 'held' | 'shipped' | 'partial' | 'missing';
  attempt: number;
  pid: number | null;
  cpuShare: number | null;
  outputBytes: number;
  writes: number;
  pauses: number;
  sentence: string | null;
  /** Why the worker failed, as the journal tells it (not logged in, API error, usage limit); worker text. */
  failure: string | null;
  /** Claude Code is retrying the API (overloaded, 5xx): shown until the worker moves on. */
  retrying: string | null;
  /** While `held`: when the hold on its adapter's admissions lifts (ISO 8601) and why (a usage limit, worker text). */
  held: { until: string; adapter: string; reason: string } | null;
  final: boolean;
}

export function initialViews(phases: Array<{ id: string; streams: Array<{ id: string }> }>): Map<string, StreamView> {
  const views = new Map<string, StreamView>();
  for (const phase of phases) {
    for (const s of phase.streams) {
      views.set(s.id, { id: s.id, phase: phase.id, state: 'pending', attempt: 0, pid: null, cpuShare: null, outputBytes: 0, writes: 0, pauses: 0, sentence: null, failure: null, retrying: null, held: null, final: false });
    }
  }
  return views;
}

/** Applies one journal entry; returns the stream it changed, if any. */
export function applyEntry(views: Map<string, StreamView>, entry: JournalEntry): StreamView | null {
  const p = (entry.payload ?? {}) as Record<string, any>;
  const id: string | undefined = p.stream && typeof p.stream === 'string' && entry.kind.startsWith('stream.') ? p.stream : p.worker?.stream;
  const view = id ? views.get(id) : undefined;
  if (!view) return null;
  switch (entry.kind) {
    case 'stream.spawned':
      Object.assign(view, { state: 'running', attempt: p.attempt, pid: p.identity?.pid ?? null, failure: null, retrying: null, held: null, final: false });
      break;
    case 'stream.admission-held':
      // Waiting for the hold on its adapter (a usage limit) to lift before its next attempt.
      if (view.final) return null;
      Object.assign(view, { state: 'held', held: { until: String(p.until ?? ''), adapter: String(p.adapter ?? ''), reason: String(p.reason ?? '') } });
      break;
    case 'worker.error':
    case 'worker.result':
    case 'worker.rate-limited':
      view.failure = workerFailureReason(entry.kind, p) ?? view.failure;
      view.retrying = null;
      break;
    case 'worker.activity':
      view.retrying = p.kind === 'system:api_retry' ? describeApiRetry((p.detail ?? {}) as Record<string, unknown>) : null;
      break;
    case 'stream.retry-scheduled':
      view.state = 'retry-wait';
      break;
    case 'stream.reconciled':
      view.sentence = p.sentence ?? null;
      view.held = null;
      if (p.status === 'shipped') Object.assign(view, { state: 'shipped', final: true });
      else view.state = p.status;
      break;
    case 'stream.signoff':
      Object.assign(view, { state: p.status, final: true, sentence: p.sentence ?? view.sentence });
      break;
    case 'worker.sample':
      view.cpuShare = typeof p.cpuShare === 'number' ? p.cpuShare : view.cpuShare;
      break;
    case 'worker.output':
      view.outputBytes += Number(p.bytes ?? 0);
      break;
    case 'worker.progress':
      view.writes += Number(p.created ?? 0) + Number(p.changed ?? 0);
      break;
    case 'worker.paused':
      view.pauses += 1;
      if (!view.final) view.state = 'paused';
      break;
    case 'worker.resumed':
      if (!view.final) view.state = 'running';
      break;
    case 'worker.stalled':
      if (!view.final) view.state = 'stalled';
      break;
    default:
      return null;
  }
  return view;
}

export function describeView(v: StreamView): string {
  const bits: string[] = [v.state === 'held' && v.held ? `held until ${holdTime(v.held.until)} (${terminalText(v.held.adapter)} usage limit)` : v.state];
  if (v.attempt > 0) bits.push(`attempt ${v.attempt}`);
  if (v.cpuShare !== null && !v.final) bits.push(`cpu ${Math.round(v.cpuShare * 100)}%`);
  bits.push(`${v.outputBytes} B out`, `${v.writes} writes`);
  if (v.pauses > 0) bits.push(`${v.pauses} pauses`);
  if (v.retrying && !v.final) bits.push(v.retrying);
  if (v.failure && v.state !== 'shipped') bits.push(`failed: ${terminalText(v.failure)}`);
  return bits.join(' · ') + (v.sentence && v.final ? ` — ${terminalText(v.sentence)}` : '');
}

/** A hold's end as a terminal shows it: `2026-12-01 13:05:02 UTC`, or the text as given when it is not a time. */
function holdTime(until: string): string {
  const t = Date.parse(until);
  return Number.isFinite(t) ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : terminalText(until);
}

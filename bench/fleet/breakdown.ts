// Where a run's wall time goes, attempt by attempt, from journal timestamps: the conductor's own entries
// (stream.worktree, fleet.attempt-queued, fleet.attempt-settled, stream.reconciled; locally stream.spawned and
// worker.exited) and, for a fleet run, the agents' fleet.* notes (attempt-started = taken from the queue,
// worker-started, worker-ended, snapshot-pushed, attempt-finished = job completed). Medians per segment over
// the run's attempts, and the run's own edges (start → first attempt, last verdict → end).
import { median } from './attempts.js';

export interface TimedEntry {
  at: number;
  kind: string;
  payload: Record<string, unknown>;
}

type Segment = [label: string, from: string, to: string];

const fleetSegments: Segment[] = [
  ['conductor: worktree → enqueued', 'stream.worktree', 'fleet.attempt-queued'],
  ['enqueued → taken by an agent', 'fleet.attempt-queued', 'fleet.attempt-started'],
  ['taken → worker started (fetch, worktree, spawn)', 'fleet.attempt-started', 'fleet.worker-started'],
  ['worker running', 'fleet.worker-started', 'fleet.worker-ended'],
  ['worker ended → final snapshot pushed', 'fleet.worker-ended', 'fleet.snapshot-pushed'],
  ['pushed → job completed (local verdict)', 'fleet.snapshot-pushed', 'fleet.attempt-finished'],
  ['completed → conductor has the commit', 'fleet.attempt-finished', 'fleet.attempt-settled'],
  ['commit → verdict (checkout, re-judge)', 'fleet.attempt-settled', 'stream.reconciled'],
  ['attempt, worktree → verdict', 'stream.worktree', 'stream.reconciled'],
];

const localSegments: Segment[] = [
  ['worktree → worker started', 'stream.worktree', 'stream.spawned'],
  ['worker running (spawned → exited)', 'stream.spawned', 'worker.exited'],
  ['worker exited → verdict', 'worker.exited', 'stream.reconciled'],
  ['attempt, worktree → verdict', 'stream.worktree', 'stream.reconciled'],
];

function keyOf(e: TimedEntry): string | null {
  // Supervisor events (worker.*) name theirs under `worker`.
  const p = typeof e.payload.worker === 'object' && e.payload.worker !== null ? (e.payload.worker as Record<string, unknown>) : e.payload;
  const stream = typeof p.stream === 'string' ? p.stream : null;
  if (stream === null) return null;
  return `${stream}#${typeof p.attempt === 'number' ? p.attempt : 1}`;
}

/**
 * Medians (ms) per segment; the first occurrence of a kind per attempt opens a segment, the last closes it.
 * `wallMs`, the process's wall time, gives the time spent outside the run (start-up, connecting, shutting down).
 */
export function breakdown(entries: TimedEntry[], fleet: boolean, wallMs?: number): Record<string, number> {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const e of [...entries].sort((a, b) => a.at - b.at)) {
    const key = keyOf(e);
    if (key === null) continue;
    // The final push is the one that counts (a periodic one may come before it).
    if (e.kind === 'fleet.snapshot-pushed' && e.payload.final !== true) continue;
    const k = `${key}\0${e.kind}`;
    if (!first.has(k)) first.set(k, e.at);
    last.set(k, e.at);
  }
  const keys = new Set([...first.keys()].map((k) => k.split('\0')[0]!));
  const out: Record<string, number> = {};
  for (const [label, from, to] of fleet ? fleetSegments : localSegments) {
    const spans: number[] = [];
    for (const key of keys) {
      const a = first.get(`${key}\0${from}`);
      const b = last.get(`${key}\0${to}`);
      if (a !== undefined && b !== undefined) spans.push(b - a);
    }
    if (spans.length > 0) out[label] = median(spans);
  }
  const at = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => e.at);
  const started = Math.min(...at('run.started'));
  const firstWork = Math.min(...at('stream.worktree'));
  const lastVerdict = Math.max(...at('stream.reconciled'));
  const finished = Math.max(...at('run.finished'));
  if (Number.isFinite(started) && Number.isFinite(firstWork)) out['run: started → first worktree'] = firstWork - started;
  if (Number.isFinite(lastVerdict) && Number.isFinite(finished)) out['run: last verdict → finished (merges)'] = finished - lastVerdict;
  if (Number.isFinite(started) && Number.isFinite(finished)) {
    out['run: started → finished'] = finished - started;
    if (wallMs !== undefined) out['process: wall − run (start-up, shut-down)'] = wallMs - (finished - started);
  }
  return out;
}

/** The median of each segment over several runs' breakdowns. */
export function mergeBreakdowns(runs: Record<string, number>[]): Record<string, number> {
  const labels = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(labels.map((l) => [l, median(runs.map((r) => r[l]).filter((x): x is number => x !== undefined))]));
}

export function printBreakdown(title: string, b: Record<string, number>): void {
  console.log(`  ${title}`);
  for (const [label, ms] of Object.entries(b)) console.log(`    ${label.padEnd(50)} ${Math.round(ms).toLocaleString('en-US').padStart(7)} ms`);
}

import type { Plan } from '@godmode/protocol';
import type { JournalReading } from '../journal/worker-records.js';

export type CostRow = {
  phase: string;
  /** Streams that had at least one worker. */
  workers: number;
  attempts: number;
  retries: number;
  pauses: number;
  stalls: number;
  /** Workers whose process group was reaped. */
  kills: number;
  /** Reaped workers whose attempt the disk shows had done work (verdict shipped or partial): the seed's "legitimate work" killed. */
  killsOfWork: number;
  /** Phase start to finish (or first spawn to last end when the phase was not journaled); null when unknown. */
  wallMs: number | null;
  cpuSeconds: number;
  tokens: number;
  usd: number;
  points: number;
};

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** What each phase cost, and the run's total in a last row named `total`. */
export function costTable(plan: Plan, reading: JournalReading, pointsByPhase: Record<string, number>, runBonus: number): CostRow[] {
  const rows: CostRow[] = [];
  for (const phase of plan.phases) {
    const workers = reading.workers.filter((w) => w.phase === phase.id);
    const span = reading.phases.get(phase.id);
    let first: number | null = span?.startedAt ?? null;
    let last: number | null = span?.finishedAt ?? null;
    for (const w of workers) {
      if (span?.startedAt == null && w.spawnedAt !== null) first = first === null ? w.spawnedAt : Math.min(first, w.spawnedAt);
      if (span?.finishedAt == null && w.endedAt !== null) last = last === null ? w.endedAt : Math.max(last, w.endedAt);
    }
    const streams = new Set(workers.map((w) => w.stream));
    rows.push({
      phase: phase.id,
      workers: streams.size,
      attempts: workers.length,
      retries: workers.length - streams.size,
      pauses: workers.reduce((s, w) => s + w.pauses.length, 0),
      stalls: workers.reduce((s, w) => s + w.stalls.length, 0),
      kills: workers.filter((w) => w.reaps.length > 0).length,
      killsOfWork: workers.filter((w) => w.reaps.length > 0 && (w.outcome === 'shipped' || w.outcome === 'partial')).length,
      wallMs: first !== null && last !== null ? Math.max(0, last - first) : null,
      cpuSeconds: round(workers.reduce((s, w) => s + w.cpuSeconds, 0), 2),
      tokens: workers.reduce((s, w) => s + w.tokens, 0),
      usd: round(workers.reduce((s, w) => s + w.usd, 0), 4),
      points: pointsByPhase[phase.id] ?? 0,
    });
  }
  const sum = (k: keyof CostRow) => rows.reduce((s, r) => s + ((r[k] as number | null) ?? 0), 0);
  const known = rows.filter((r) => r.wallMs !== null);
  const runWall = reading.startedAt !== null && reading.finishedAt !== null ? reading.finishedAt - reading.startedAt : known.length > 0 ? sum('wallMs') : null;
  rows.push({
    phase: 'total',
    workers: sum('workers'),
    attempts: sum('attempts'),
    retries: sum('retries'),
    pauses: sum('pauses'),
    stalls: sum('stalls'),
    kills: sum('kills'),
    killsOfWork: sum('killsOfWork'),
    wallMs: runWall,
    cpuSeconds: round(sum('cpuSeconds'), 2),
    tokens: sum('tokens'),
    usd: round(sum('usd'), 4),
    points: sum('points') + runBonus,
  });
  return rows;
}

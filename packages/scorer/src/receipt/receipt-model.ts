import type { ClaimReading, DimensionScore, JournalEntry, Plan, Verdict } from '@godmode/protocol';
import { dimensionNames, journalKinds, planStreams, workerFailureReason } from '@godmode/protocol';
import { latestVerdicts, readJournal, type RunIncident, type WorkerRecord } from '../journal/worker-records.js';
import { describeStart, readFleetAttempts, shortCommit, type FleetAttemptRecord } from '../fleet/fleet-moves.js';
import type { RunScorecard } from '../score-run.js';
import { fmtScore } from './format.js';

export interface ClaimRow {
  stream: string;
  phase: string;
  /** What the worker's own bookkeeping said, as the reconciler read it. */
  claim: string;
  claimSays: ClaimReading['says'] | 'absent';
  /** Whether the bookkeeping alone would have counted the stream. */
  bookkeepingCounts: boolean;
  disk: string;
  status: Verdict['status'] | null;
  divergence: Verdict['divergence'] | null;
  sentence: string;
}

export interface ReceiptInput {
  runDir: string;
  scorecard: RunScorecard;
  plan: Plan;
  verdicts: Verdict[];
  journal: JournalEntry[];
  /** Overrides of how each stream's claim reads; by default, the claim reading inside its verdict. */
  claims?: Record<string, ClaimReading>;
}

export interface ReceiptModel {
  title: string;
  planName: string;
  run: string;
  headline: string;
  tldr: string[];
  scorecard: RunScorecard;
  dimensions: Array<{ name: string; weight: number; dim: DimensionScore }>;
  claims: ClaimRow[];
  disagreements: number;
  incidents: RunIncident[];
  startedAt: number | null;
  workers: WorkerRecord[];
  cpuCeiling: number;
  /** The merge queue on a repository, in journal order: each stream merged, held (and why) or undone. */
  mergeQueue: Array<{ phase: string; stream: string; outcome: 'merged' | 'held' | 'undone'; detail: string }>;
  /** Streams that changed files outside what they declared they own (evidence, not a verdict). */
  outsideOwns: Array<{ stream: string; files: string[]; count: number }>;
  /** A fleet run's attempts: which agent ran each, how often and why it moved, where it started; empty for a local run. */
  fleet: FleetAttemptRecord[];
}

function describeClaim(reading: ClaimReading | undefined): { text: string; says: ClaimRow['claimSays'] } {
  if (!reading || reading.state === 'absent') return { text: 'absent (no result.json)', says: 'absent' };
  if (reading.state === 'unreadable') return { text: `unreadable${reading.problem ? `: ${reading.problem}` : ''}`, says: reading.says };
  if (reading.state === 'invalid') return { text: `invalid${reading.problem ? `: ${reading.problem}` : ''}`, says: reading.says };
  return { text: reading.status !== null ? `"${reading.status}"` : `no status (${reading.says})`, says: reading.says };
}

export function buildReceiptModel(input: ReceiptInput): ReceiptModel {
  const card = input.scorecard;
  const latest = latestVerdicts(input.verdicts);
  const reading = readJournal(input.plan, input.journal, input.verdicts);
  const fleet = readFleetAttempts(input.journal);
  reading.incidents = [...withFailureReasons(reading.incidents, input.journal), ...fleetMoves(fleet)].sort((a, b) => a.at - b.at);
  const streamIndex = new Map(planStreams(input.plan).map(({ stream }, i) => [stream.id, i]));
  const claims: ClaimRow[] = planStreams(input.plan).map(({ phase, stream }) => {
    const v = latest.get(stream.id) ?? null;
    const claim = describeClaim(input.claims?.[stream.id] ?? v?.claim);
    return {
      stream: stream.id,
      phase: phase.id,
      claim: claim.text,
      claimSays: claim.says,
      bookkeepingCounts: claim.says === 'success',
      disk: v ? `${v.status} — ${v.deliverables.present} of ${v.deliverables.expected} deliverables` : 'no verdict',
      status: v?.status ?? null,
      divergence: v?.divergence ?? null,
      sentence: v?.sentence ?? 'never reconciled',
    };
  });
  const disagreements = claims.filter((c) => c.bookkeepingCounts !== (c.status === 'shipped')).length;
  const shipped = claims.filter((c) => c.status === 'shipped').length;
  const brokeCounts = new Map<string, number>();
  for (const i of reading.incidents) brokeCounts.set(i.kind, (brokeCounts.get(i.kind) ?? 0) + 1);
  const headline =
    shipped === claims.length && claims.length > 0
      ? reading.incidents.length === 0
        ? 'Shipped clean'
        : 'Shipped under duress'
      : shipped > 0
        ? 'Partly shipped'
        : 'Nothing shipped';
  const dims = dimensionNames.map((name) => ({ name, weight: card.weights[name] ?? 0, dim: card.dimensions[name]! }));
  const measured = dims.filter((d) => d.dim.measured);
  const high = card.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
  const tldr = [
    `**${headline}.** The disk shows ${shipped} of ${claims.length} streams shipped; the bookkeeping (result.json) claimed success for ${claims.filter((c) => c.bookkeepingCounts).length}${disagreements ? ` — ${disagreements} of ${claims.length} disagree with the disk` : ''}.`,
    `Overall **${fmtScore(card.overall)}** from ${measured.map((d) => `${d.name} ${fmtScore(d.dim.measured ? d.dim.score : null)}`).join(', ') || 'nothing measured'}${card.unmeasured.length ? `; unmeasured: ${card.unmeasured.join(', ')}` : ''}.`,
    reading.incidents.length === 0
      ? 'Nothing broke: no pause, stall, reap or takeover was journaled.'
      : `What broke: ${[...brokeCounts].map(([k, n]) => `${n} ${k}`).join(', ')}. Kills of legitimate work (reaped, yet the disk shows it shipped or had progressed): ${card.costs.at(-1)?.killsOfWork ?? 0}.`,
    high.length > 0 ? `${high.length} high or critical security finding${high.length > 1 ? 's' : ''}: ${high[0]!.rule} in ${high[0]!.file}.` : `No high or critical security finding.`,
    `${card.game.points} points, level ${card.game.level}, longest combo ${card.game.longestCombo}${card.game.achievements.length ? `; achievements: ${card.game.achievements.join(', ')}` : ''}.`,
  ];
  return {
    title: `Receipt — ${input.plan.name}`,
    planName: input.plan.name,
    run: card.run,
    headline,
    tldr,
    scorecard: card,
    dimensions: dims,
    claims,
    disagreements,
    incidents: reading.incidents,
    startedAt: reading.startedAt ?? reading.workers.reduce<number | null>((m, w) => (w.spawnedAt !== null && (m === null || w.spawnedAt < m) ? w.spawnedAt : m), null),
    workers: [...reading.workers].sort((a, b) => (streamIndex.get(a.stream) ?? 1e9) - (streamIndex.get(b.stream) ?? 1e9) || a.attempt - b.attempt),
    cpuCeiling: input.plan.settings.cpuCeiling,
    ...mergeQueueOf(input.journal),
    fleet,
  };
}

/** Each move of a fleet attempt is an incident: from which agent, why, to which agent, from which commit. */
function fleetMoves(fleet: FleetAttemptRecord[]): RunIncident[] {
  const out: RunIncident[] = [];
  for (const r of fleet) {
    if (r.tries.length > 1) {
      r.tries.slice(1).forEach((to, i) => {
        const from = r.tries[i]!;
        const start = to.resumed === true ? `resumed from snapshot ${shortCommit(to.startedFrom)}` : to.resumed === false ? `started over from base ${shortCommit(to.startedFrom)}` : 'start unknown';
        out.push({ at: to.at, stream: r.stream, attempt: r.attempt, kind: 'moved', detail: `${from.agent} ${from.ended}; moved to ${to.agent}, ${start}` });
      });
    } else if (r.moves > 0) {
      out.push({ at: r.settledAt ?? 0, stream: r.stream, attempt: r.attempt, kind: 'moved', detail: `${r.why.join('; ')}; finished on ${r.agent ?? 'no agent'} from ${describeStart(r)}` });
    }
  }
  return out;
}

/**
 * "What broke" says why a worker failed wherever the journal knows: an error result (API error, usage
 * limit, max turns) that no `worker.error` already reported becomes an incident of its own, and a failed
 * exit names the attempt's reason. The reasons are worker text; the renderers sanitise them.
 */
function withFailureReasons(incidents: RunIncident[], journal: JournalEntry[]): RunIncident[] {
  const reasons = new Map<string, string>();
  const added: RunIncident[] = [];
  const keyOf = (stream: string | null, attempt: number | null) => `${stream ?? ''}#${attempt ?? ''}`;
  const reported = new Set(incidents.filter((i) => i.kind === 'error').map((i) => keyOf(i.stream, i.attempt)));
  for (const e of journal) {
    const reason = workerFailureReason(e.kind, e.payload);
    if (reason === null) continue;
    const w = (e.payload as { worker?: { stream?: unknown; attempt?: unknown } } | null)?.worker;
    const stream = typeof w?.stream === 'string' ? w.stream : null;
    const attempt = typeof w?.attempt === 'number' ? w.attempt : null;
    const k = keyOf(stream, attempt);
    if (!reasons.has(k)) reasons.set(k, reason);
    if (e.kind === 'worker.result' && !reported.has(k)) {
      reported.add(k);
      added.push({ at: Date.parse(e.at), stream, attempt, kind: 'error', detail: reason });
    }
  }
  return [...incidents, ...added]
    .map((i) => (i.kind === 'exited' && reasons.has(keyOf(i.stream, i.attempt)) ? { ...i, detail: `${i.detail} — ${reasons.get(keyOf(i.stream, i.attempt))}` } : i))
    .sort((a, b) => a.at - b.at);
}

function mergeQueueOf(journal: ReceiptInput['journal']): Pick<ReceiptModel, 'mergeQueue' | 'outsideOwns'> {
  const mergeQueue: ReceiptModel['mergeQueue'] = [];
  const outsideOwns: ReceiptModel['outsideOwns'] = [];
  for (const e of journal) {
    const p = e.payload as { phase?: string; stream?: string; head?: string; reason?: string; files?: string[]; check?: string; count?: number };
    if (typeof p?.stream !== 'string') continue;
    const phase = p.phase ?? '';
    if (e.kind === journalKinds.mergeKept) mergeQueue.push({ phase, stream: p.stream, outcome: 'merged', detail: p.head ? `integration at ${p.head.slice(0, 12)}` : '' });
    else if (e.kind === journalKinds.mergeUndone) mergeQueue.push({ phase, stream: p.stream, outcome: 'undone', detail: `broke ${p.check ?? 'a check'}` });
    else if (e.kind === journalKinds.streamHeld) mergeQueue.push({ phase, stream: p.stream, outcome: 'held', detail: `${p.reason ?? 'held'}${p.files?.length ? `: ${p.files.slice(0, 5).join(', ')}${p.files.length > 5 ? ` and ${p.files.length - 5} more` : ''}` : ''}` });
    else if (e.kind === journalKinds.streamOutsideOwns) outsideOwns.push({ stream: p.stream, files: p.files ?? [], count: p.count ?? p.files?.length ?? 0 });
  }
  return { mergeQueue, outsideOwns };
}

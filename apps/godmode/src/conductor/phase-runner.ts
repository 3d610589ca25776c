import { journalKinds, type JournalEntry, type Phase, type Stream } from '@godmode/protocol';
import { keptHead, runMergeQueue } from './merge-queue.js';
import type { RunContext } from './run-context.js';
import { runStream } from './stream-attempt.js';
import { rebaseWorkspace } from './workspace.js';

/**
 * One phase: its streams in parallel (up to the phase's limit), each signed off, then the merge queue; with
 * `onHold: retry` the streams it held get one more attempt on the new integration head and a second queue.
 * Every later phase starts from the integration head the previous one left (its phase base, journaled with
 * `phase.started` and reused on takeover).
 */
export async function runPhase(ctx: RunContext, phase: Phase): Promise<void> {
  const entries = await ctx.entries();
  if (ctx.repository && entries.some((e) => e.kind === journalKinds.phaseFinished && (e.payload as { phase?: string }).phase === phase.id)) return;
  const base = ctx.repository ? (recordedPhaseBase(entries, phase.id) ?? keptHead(entries, ctx.repository.base)) : null;
  await ctx.journal(journalKinds.phaseStarted, { phase: phase.id, streams: phase.streams.map((s) => s.id), ...(base ? { base } : {}) });
  await runStreams(ctx, phase, phase.streams, base);
  if (ctx.stopSignal.aborted) return;
  for (const stream of phase.streams) {
    const v = ctx.progress(stream.id).verdict;
    await ctx.journal(journalKinds.streamSignoff, {
      stream: stream.id,
      phase: phase.id,
      status: v?.status ?? 'missing',
      divergence: v?.divergence ?? 'no-claim',
      sentence: v?.sentence ?? 'never reconciled',
      deliverables: v?.deliverables ?? null,
    });
  }
  if (!ctx.acting) return;
  const first = await runMergeQueue(ctx, phase, phase.streams, 0);
  if (ctx.repository && ctx.plan.onHold === 'retry' && first.held.length > 0 && first.head && !ctx.stopSignal.aborted) {
    const held = phase.streams.filter((s) => first.held.some((h) => h.stream === s.id));
    const after = await ctx.entries();
    for (const stream of held) {
      const progress = ctx.progress(stream.id);
      const hold = first.held.find((h) => h.stream === stream.id) ?? null;
      const rebased = lastRebase(after, stream.id);
      if (rebased !== first.head) await rebaseWorkspace(ctx, stream, first.head);
      // Whatever was judged before the hold is not what the retry is judged by.
      if (!verdictSince(after, stream.id, lastHeldSeq(after, stream.id))) progress.verdict = null;
      progress.base = first.head;
      progress.hold = progress.verdict ? null : hold;
      progress.extraAttempts = 1;
    }
    await runStreams(ctx, phase, held, first.head);
    if (ctx.stopSignal.aborted || !ctx.acting) return;
    await runMergeQueue(ctx, phase, held, 1);
  }
  if (ctx.stopSignal.aborted) return;
  await ctx.journal(journalKinds.phaseFinished, { phase: phase.id });
}

async function runStreams(ctx: RunContext, phase: Phase, streams: Stream[], base: string | null): Promise<void> {
  const queue = [...streams];
  const running = new Set<Promise<void>>();
  while ((queue.length > 0 || running.size > 0) && !ctx.stopSignal.aborted) {
    while (queue.length > 0 && running.size < phase.parallelism && !ctx.stopSignal.aborted) {
      const stream = queue.shift() as Stream;
      const task: Promise<void> = runStream(ctx, phase, stream, base).finally(() => running.delete(task));
      running.add(task);
    }
    if (running.size > 0) await Promise.race(running);
  }
  await Promise.allSettled(running);
}

function recordedPhaseBase(entries: JournalEntry[], phase: string): string | null {
  const e = entries.find((x) => x.kind === journalKinds.phaseStarted && (x.payload as { phase?: string; base?: string }).phase === phase && (x.payload as { base?: string }).base);
  return e ? ((e.payload as { base: string }).base as string) : null;
}

function lastRebase(entries: JournalEntry[], stream: string): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const p = entries[i]?.payload as { stream?: string; reset?: boolean; base?: string };
    if (entries[i]?.kind === journalKinds.streamWorktree && p.stream === stream && p.reset) return p.base ?? null;
  }
  return null;
}

function lastHeldSeq(entries: JournalEntry[], stream: string): number {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]?.kind === journalKinds.streamHeld && (entries[i]?.payload as { stream?: string }).stream === stream) return entries[i]?.seq ?? 0;
  return 0;
}

function verdictSince(entries: JournalEntry[], stream: string, seq: number): boolean {
  return entries.some((e) => e.seq > seq && e.kind === journalKinds.streamReconciled && (e.payload as { stream?: string }).stream === stream);
}

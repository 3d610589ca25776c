import { join } from 'node:path';
import { journalKinds, type JournalEntry, type Phase, type Stream, type Verdict } from '@godmode/protocol';
import { checkPassed, merge, runCheck } from '@godmode/reconciler';
import { filesOutsideOwns } from '@godmode/cli';
import { changedFiles, gitOk, mergeInto, resetWorktree, undoMerge } from '@godmode/worktrees';
import { pushKeptMerge } from '../fleet/push-integration.js';
import { checkEnv, type CheckKind } from './check-processes.js';
import type { Hold, RunContext } from './run-context.js';

export interface QueueResult {
  merged: string[];
  held: Array<{ stream: string } & Hold>;
  skipped: string[];
  /** The integration branch's head when the queue is done. */
  head: string | null;
}

type Payload = { phase?: string; stream?: string; round?: number; head?: string; reason?: string; files?: string[]; output?: string };

/** The integration head the journal vouches for: the last kept merge's, else the run's base. */
export function keptHead(entries: JournalEntry[], base: string): string {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as JournalEntry;
    if (e.kind === journalKinds.mergeKept) return (e.payload as Payload).head as string;
  }
  return base;
}

function eligible(ctx: RunContext, stream: Stream, verdict: Verdict | null): boolean {
  if (!verdict) return false;
  if (verdict.status === 'shipped') return true;
  return verdict.status === 'partial' && (stream.mergePartial ?? ctx.plan.mergePartial);
}

/**
 * Merges a phase's shipped streams (and `mergePartial` ones) one at a time, in plan order, into the integration
 * branch with `git merge --no-ff`, in the run's own integration worktree. After each merge the plan's checks
 * (test, typecheck, lint) run there; a merge that makes one fail where it passed before is undone and the
 * stream held `breaks <check>`; a merge that conflicts is aborted and the stream held `conflicts`.
 *
 * Takeover-safe: the integration tree is first put back at the head the journal last vouched for (`merge.kept`),
 * so a merge a dead conductor made but never recorded is discarded and made once more, never twice; streams
 * already kept or held in this round are not merged again. In plain folders the reconciler's merger runs as before.
 */
export async function runMergeQueue(ctx: RunContext, phase: Phase, streams: Stream[], round: number): Promise<QueueResult> {
  const repo = ctx.repository;
  if (!repo) return folderMerge(ctx, phase);
  const entries = await ctx.entries();
  const tree = repo.integrationTree;
  const head0 = keptHead(entries, repo.base);
  await resetWorktree(tree, head0);
  const done = new Map<string, Payload & { kind: string }>();
  for (const e of entries) {
    const p = e.payload as Payload;
    if (p?.phase !== phase.id || (p.round ?? 0) !== round) continue;
    if (e.kind === journalKinds.mergeKept || e.kind === journalKinds.streamHeld) done.set(p.stream as string, { ...p, kind: e.kind });
  }
  const result: QueueResult = { merged: [], held: [], skipped: [], head: head0 };
  const checks = (['test', 'typecheck', 'lint'] as const).flatMap((name) => (ctx.plan[name] ? [{ name, check: ctx.plan[name] }] : []));
  let baseline: Map<string, boolean> | null = null;
  for (const stream of streams) {
    if (!ctx.acting || ctx.stopSignal.aborted) break;
    const previous = done.get(stream.id);
    if (previous) {
      if (previous.kind === journalKinds.mergeKept) result.merged.push(stream.id);
      else result.held.push({ stream: stream.id, reason: previous.reason as Hold['reason'], files: previous.files ?? [], output: previous.output ?? '' });
      continue;
    }
    const progress = ctx.progress(stream.id);
    if (!eligible(ctx, stream, progress.verdict) || !progress.snapshot) {
      result.skipped.push(stream.id);
      continue;
    }
    const outcome = await mergeInto(tree, progress.snapshot, `godmode: merge stream ${stream.id} (phase ${phase.id})`);
    if (outcome.status === 'conflicts') {
      const hold: Hold = { reason: 'conflicts', files: outcome.files, output: '' };
      await ctx.journal(journalKinds.streamHeld, { phase: phase.id, stream: stream.id, round, snapshot: progress.snapshot, ...hold });
      result.held.push({ stream: stream.id, ...hold });
      continue;
    }
    await ctx.journal(journalKinds.mergeApplied, { phase: phase.id, stream: stream.id, round, snapshot: progress.snapshot, before: outcome.before, after: outcome.after, already: outcome.status === 'already-merged' });
    // What passed before this merge must still pass after it; a check already failing is no one's to break.
    baseline ??= await runBaseline(ctx, tree, outcome.before, checks);
    let broke: { name: string; output: string } | null = null;
    for (const { name, check } of checks) {
      if (!baseline.get(name)) continue;
      const ran = await runCheck({ command: check.command, cwd: tree, timeoutMs: check.timeoutMs, env: checkEnv(ctx.store.dir, name, `${phase.id}/${stream.id}`) });
      if (!checkPassed(ran)) {
        broke = { name, output: ran.outputTail.slice(-2_000) };
        break;
      }
    }
    if (broke) {
      await undoMerge(tree, outcome.before);
      await ctx.journal(journalKinds.mergeUndone, { phase: phase.id, stream: stream.id, round, check: broke.name, before: outcome.before, undone: outcome.after });
      const hold: Hold = { reason: `breaks ${broke.name}`, files: [], output: broke.output };
      await ctx.journal(journalKinds.streamHeld, { phase: phase.id, stream: stream.id, round, snapshot: progress.snapshot, ...hold });
      result.held.push({ stream: stream.id, ...hold });
      continue;
    }
    // A fleet run's kept head is on the shared remote before the journal vouches for it (a taker elsewhere fetches it).
    if (!(await pushKeptMerge(ctx, outcome.after))) return result;
    await ctx.journal(journalKinds.mergeKept, { phase: phase.id, stream: stream.id, round, head: outcome.after });
    await reportOutsideOwns(ctx, phase, stream, progress.base, progress.snapshot);
    result.merged.push(stream.id);
    result.head = outcome.after;
  }
  result.head = keptHead(await ctx.entries(), repo.base);
  await ctx.journal(journalKinds.mergeFinished, {
    phase: phase.id,
    round,
    mode: 'git',
    branch: repo.integration,
    head: result.head,
    merged: result.merged,
    held: result.held.map((h) => ({ stream: h.stream, reason: h.reason, files: h.files })),
    skipped: result.skipped,
    conflicts: result.held.filter((h) => h.reason === 'conflicts').map((h) => ({ stream: h.stream, files: h.files })),
  });
  return result;
}

/** The checks on the tree as it was before the first merge of this queue (then put back where it was). */
async function runBaseline(ctx: RunContext, tree: string, before: string, checks: Array<{ name: CheckKind; check: { command: string; timeoutMs: number } }>): Promise<Map<string, boolean>> {
  const passed = new Map<string, boolean>();
  if (checks.length === 0) return passed;
  const head = (await gitOk(tree, ['rev-parse', 'HEAD'])).trim();
  await resetWorktree(tree, before);
  for (const { name, check } of checks) passed.set(name, checkPassed(await runCheck({ command: check.command, cwd: tree, timeoutMs: check.timeoutMs, env: checkEnv(ctx.store.dir, name, 'baseline') })));
  await resetWorktree(tree, head);
  return passed;
}

async function folderMerge(ctx: RunContext, phase: Phase): Promise<QueueResult> {
  const streams = phase.streams
    .map((stream) => ({ stream, verdict: ctx.progress(stream.id).verdict, workTree: ctx.store.layout.workDir(stream.id) }))
    .filter((s): s is { stream: Stream; verdict: Verdict; workTree: string } => s.verdict !== null);
  try {
    const result = await merge({
      mode: ctx.plan.merge.mode,
      streams,
      outputDir: join(ctx.store.dir, 'merged'),
      within: ctx.store.layout.runDir,
      includePartial: (stream: Stream) => stream.mergePartial ?? ctx.plan.mergePartial,
    });
    await ctx.journal(journalKinds.mergeFinished, { phase: phase.id, ...result });
  } catch (error) {
    await ctx.journal(journalKinds.mergeFinished, { phase: phase.id, merged: [], skipped: [], conflicts: [], error: String((error as Error).message ?? error) });
  }
  return { merged: [], held: [], skipped: [], head: null };
}

/**
 * A stream that declared what it `owns` and changed files outside it: journaled as evidence (the receipt lists
 * them); the verdict and the merge stand. Two agents writing the same file is how parallel work is lost.
 */
async function reportOutsideOwns(ctx: RunContext, phase: Phase, stream: Stream, base: string | null, snapshot: string): Promise<void> {
  if (!stream.owns || stream.owns.length === 0 || !base) return;
  try {
    const changed = await changedFiles(ctx.store.layout.workDir(stream.id), base, snapshot);
    const outside = await filesOutsideOwns(stream, changed.map((c) => c.path));
    if (outside.length > 0) await ctx.journal(journalKinds.streamOutsideOwns, { phase: phase.id, stream: stream.id, files: outside.slice(0, 200), count: outside.length });
  } catch (error) {
    await ctx.journal('run.warning', { message: `could not list the files ${stream.id} changed outside what it owns: ${(error as Error).message}` });
  }
}

import { journalKinds, planStreams, type JournalEntry } from '@godmode/protocol';
import { reconcile } from '@godmode/reconciler';
import type { RunStore } from '@godmode/run-store';
import { isSameProcess } from '@godmode/supervisor';
import { captureTree, changedFiles, worktreeBranch } from '@godmode/worktrees';
import { againstBase } from './against-base.js';

export interface AuditReport {
  streams: Array<{ stream: string; journal: string | null; disk: string; drift: string | null }>;
  drifts: number;
  problems: string[];
}

/**
 * The free integrity check of a run whose conductor is alive: what the journal says against what
 * the disk shows, stream by stream. Read-only: no verdict, journal entry or signal is written.
 */
export async function auditRun(store: RunStore): Promise<AuditReport> {
  const state = await store.replay();
  const { plan } = await store.readPlan();
  const entries = (await store.journal.read()).entries;
  const streams: AuditReport['streams'] = [];
  for (const { stream } of planStreams(plan)) {
    const s = state.streams[stream.id];
    const workTree = store.layout.workDir(stream.id);
    const plain = await reconcile({ stream, workTree, claim: { path: store.layout.resultFile(stream.id) }, runCheck: false, within: store.layout.runDir });
    // On a repository the disk is judged as the conductor judges it: against the stream's base, through a
    // temporary index (no ref written, the worktree's own index untouched).
    const base = baseOf(entries, stream.id);
    const disk = base && (await worktreeBranch(workTree)) ? againstBase(plain, stream.deliverables, new Set((await changedFiles(workTree, base, (await captureTree(workTree)).tree)).map((c) => c.path)), base) : plain;
    const journaled = s?.verdict?.status ?? null;
    let drift: string | null = null;
    const last = s?.attempts.at(-1);
    if (s?.state === 'running' && last?.identity && !last.exit && !isSameProcess(last.identity)) {
      drift = `journal says attempt ${last.n} runs (pid ${last.identity.pid}) but that process is gone`;
    } else if (journaled !== null && journaled !== disk.status) {
      drift = `journal says ${journaled}, disk now shows ${disk.status}`;
    } else if (journaled === null && s?.state === 'done') {
      drift = 'journal marks the stream done without a verdict';
    }
    streams.push({ stream: stream.id, journal: journaled, disk: disk.status, drift });
  }
  return { streams, drifts: streams.filter((s) => s.drift).length, problems: state.problems };
}

/** The base the journal last gave a stream's worktree, if it has one. */
function baseOf(entries: JournalEntry[], stream: string): string | null {
  let base: string | null = null;
  for (const e of entries) {
    const p = e.payload as { stream?: string; base?: string };
    if (e.kind === journalKinds.streamWorktree && p?.stream === stream && p.base) base = p.base;
  }
  return base;
}

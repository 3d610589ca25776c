import { planStreams } from '@godmode/protocol';
import { reconcile } from '@godmode/reconciler';
import type { RunStore } from '@godmode/run-store';
import { isSameProcess } from '@godmode/supervisor';

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
  const streams: AuditReport['streams'] = [];
  for (const { stream } of planStreams(plan)) {
    const s = state.streams[stream.id];
    const disk = await reconcile({ stream, workTree: store.layout.workDir(stream.id), claim: { path: store.layout.resultFile(stream.id) }, runCheck: false });
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

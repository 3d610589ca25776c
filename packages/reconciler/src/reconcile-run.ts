import { GodmodeError, journalKinds, planStreams, type Plan, type Verdict } from '@godmode/protocol';
import { HashCache } from './evidence/hash-cache.js';
import { reconcile } from './reconcile.js';

/**
 * The slice of `@godmode/run-store`'s `RunStore` the reconciler uses. Structural, so the reconciler does
 * not depend on the run store (dependencies point only to protocol); a `RunStore` satisfies it.
 */
export interface VerdictStore {
  readPlan(): Promise<{ plan: Plan; planDir: string }>;
  layout: { workDir(id: string): string; resultFile(id: string): string; runDir?: string };
  writeVerdict(streamId: string, verdict: Verdict): Promise<void>;
  journal: { append(kind: string, payload: unknown, options?: { token?: number }): Promise<unknown> };
  replay?(): Promise<{ streams: Record<string, { attempts: unknown[] } | undefined> | Map<string, { attempts: unknown[] }> }>;
}

export interface ReconcileRunOptions {
  /** Only this stream (default: every stream of the plan). */
  stream?: string;
  /** The caller's fencing token, when it holds the lease; a plain `reconcile` holds none. */
  token?: number;
  /** Run each stream's check command (default: yes). */
  runCheck?: boolean;
  cache?: HashCache;
}

/**
 * Re-reads the disk for every stream of a run (finished, abandoned, or with a dead conductor), writes each
 * `verdict.json` atomically and journals `stream.reconciled` with the verdict — through the run store,
 * without taking the lease. Streams are done one at a time, so checks never run in parallel.
 */
export async function reconcileRun(store: VerdictStore, options: ReconcileRunOptions = {}): Promise<Verdict[]> {
  const { plan } = await store.readPlan();
  const all = planStreams(plan).map(({ stream }) => stream);
  const streams = options.stream === undefined ? all : all.filter((s) => s.id === options.stream);
  if (streams.length === 0) {
    throw new GodmodeError({
      code: 'RECONCILE_UNKNOWN_STREAM',
      audience: 'user',
      message: `The plan has no stream "${options.stream}".`,
      hint: `Its streams are: ${all.map((s) => s.id).join(', ')}.`,
    });
  }
  const attempts = await attemptCounts(store);
  const cache = options.cache ?? new HashCache();
  const verdicts: Verdict[] = [];
  for (const stream of streams) {
    const verdict = await reconcile({
      stream,
      workTree: store.layout.workDir(stream.id),
      claim: { path: store.layout.resultFile(stream.id) },
      attempt: attempts.get(stream.id)?.n ?? null,
      claimSince: attempts.get(stream.id)?.startedAt ?? null,
      ...(store.layout.runDir ? { within: store.layout.runDir } : {}),
      cache,
      runCheck: options.runCheck ?? true,
    });
    await store.writeVerdict(stream.id, verdict);
    await store.journal.append(journalKinds.streamReconciled, verdict, options.token === undefined ? {} : { token: options.token });
    verdicts.push(verdict);
  }
  return verdicts;
}

/**
 * The latest attempt of each stream as the journal tells it (its number, and when it started if the
 * journal says); empty when the journal cannot say.
 */
async function attemptCounts(store: VerdictStore): Promise<Map<string, { n: number; startedAt: number | null }>> {
  const counts = new Map<string, { n: number; startedAt: number | null }>();
  try {
    const state = await store.replay?.();
    if (!state) return counts;
    const entries = state.streams instanceof Map ? [...state.streams.entries()] : Object.entries(state.streams);
    for (const [id, s] of entries) {
      if (!s || !Array.isArray(s.attempts) || s.attempts.length === 0) continue;
      const last = s.attempts.at(-1) as { startedAt?: unknown } | undefined;
      const startedAt = typeof last?.startedAt === 'string' ? Date.parse(last.startedAt) : NaN;
      counts.set(id, { n: s.attempts.length, startedAt: Number.isFinite(startedAt) ? startedAt : null });
    }
  } catch {
    // a journal we cannot replay only costs us the attempt number
  }
  return counts;
}

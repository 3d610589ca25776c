import { hostname } from 'node:os';
import type { JournalEntry, Lease } from '@godmode/protocol';
import { planSchema } from '@godmode/protocol';
import { replayEntries } from '../replay/replay.js';
import type { RunState } from '../replay/run-state.js';
import type { RunStore } from '../run-store.js';
import { PgJournal } from './pg-journal.js';
import { PgLease } from './pg-lease.js';
import type { PgPool } from './pg-pool.js';

/**
 * Where a fleet run's conductor journal is published in Postgres: its own journal key beside the run id (where
 * agents leave their `fleet.*` notes). `/` is never in a run id, so no run's key can collide with it.
 */
export const publishedRunKey = (runId: string) => `${runId}/conductor`;
const suffix = '/conductor';
/** The first entry of a published journal: the run's plan, so a machine without the run folder can replay it. */
export const publishedKind = 'fleet.run-published';

export interface PublishedRunHeader {
  runId: string;
  planDir: string;
  plan: unknown;
  host: string;
}

export interface RunPublisher {
  /** Publishes what the file journal holds now, stops following, releases the publisher's lease. */
  stop(): Promise<void>;
}

/**
 * Publishes a run's journal to Postgres as it is written: entry 1 is the plan (`fleet.run-published`), entry
 * n + 1 is entry n of the run's `journal.jsonl`, in order, gap-free. One publisher at a time: it holds the
 * published journal's own lease and appends with its token, so a second conductor's publisher (a takeover on
 * the same machine) waits for it, and one that lost the lease has every later append refused. A restarted
 * publisher continues after the last entry published. Resolves once the lease is held and the backlog sent.
 */
export async function publishRun(store: RunStore, pool: PgPool, options: { log?: (line: string) => void; ttlMs?: number; signal?: AbortSignal } = {}): Promise<RunPublisher> {
  const key = publishedRunKey(store.id);
  const ttlMs = options.ttlMs ?? 30_000;
  const journal = new PgJournal({ pool, runId: key });
  const leases = new PgLease({ pool, runId: key });
  const controller = new AbortController();
  const holder = `publisher ${hostname()} ${process.pid}`;
  let lease: Lease | null = null;
  let problem: unknown = null;
  for (let waited = 0; lease === null; waited++) {
    if (options.signal?.aborted) return { stop: async () => undefined };
    lease = await leases.acquire({ holder, ttlMs, takeFromDeadHolder: true });
    if (lease === null) {
      if (waited === 0) options.log?.(`waiting for the publisher of ${store.id} on another conductor to stop`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const token = lease.token;
  const renewal = setInterval(() => {
    if (lease === null) return;
    leases.renew(lease, ttlMs).then(
      (renewed) => (lease = renewed),
      (error: unknown) => (problem ??= error),
    );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  renewal.unref();

  const last = await journal.lastSeq();
  if (last === 0) {
    const { plan, planDir } = await store.readPlan();
    await journal.append(publishedKind, { runId: store.id, planDir, plan, host: hostname() } satisfies PublishedRunHeader, { token });
  }
  let published = Math.max(0, last - 1);
  let sending: Promise<unknown> = Promise.resolve();
  const publish = (entry: JournalEntry) => {
    if (entry.seq <= published) return;
    published = entry.seq;
    const sent = journal.append(entry.kind, entry.payload, { token }).catch((error: unknown) => (problem ??= error));
    sending = Promise.all([sending, sent]);
  };
  const following = store.journal.follow(published, publish, controller.signal);
  const report = () => {
    if (problem !== null) options.log?.(`publishing run ${store.id} to Postgres stopped: ${(problem as Error).message ?? String(problem)}`);
  };
  return {
    async stop() {
      controller.abort();
      await following;
      // What was written between the last poll and the stop.
      for (const entry of (await store.journal.read()).entries) publish(entry);
      clearInterval(renewal);
      await sending;
      await journal.close();
      if (lease !== null) await leases.release(lease).catch(() => undefined);
      report();
    },
  };
}

export interface PublishedRun {
  header: PublishedRunHeader;
  state: RunState;
  /** The run's conductor lease as last published (the run's own lease stays with its run folder). */
  entries: number;
}

/** A published run replayed from Postgres alone, or null when the database has no such run. */
export async function readPublishedRun(pool: PgPool, runId: string): Promise<PublishedRun | null> {
  const { entries } = await new PgJournal({ pool, runId: publishedRunKey(runId) }).read();
  const first = entries[0];
  if (first === undefined || first.kind !== publishedKind) return null;
  const header = first.payload as PublishedRunHeader;
  const plan = planSchema.parse(header.plan);
  // Entry n + 1 is the run's entry n: replay sees the run's own sequence numbers.
  const own = entries.slice(1).map((e) => ({ ...e, seq: e.seq - 1 }));
  return { header, state: replayEntries(runId, plan, { entries: own }), entries: own.length };
}

/** The runs published to this database, oldest first, with when they were published. */
export async function listPublishedRuns(pool: PgPool): Promise<Array<{ runId: string; publishedAt: string }>> {
  const { rows } = (await pool.query(
    `select r.run_id, j.at from godmode.runs r join godmode.journal j on j.run_id = r.run_id and j.seq = 1 and j.kind = $1
     where r.run_id like $2 order by j.at, r.run_id`,
    [publishedKind, `%${suffix}`],
  )) as { rows: Array<{ run_id: string; at: string }> };
  return rows.map((r) => ({ runId: r.run_id.slice(0, -suffix.length), publishedAt: r.at }));
}

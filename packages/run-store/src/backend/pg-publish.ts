import { hostname } from 'node:os';
import type { JournalEntry, Lease } from '@godmode/protocol';
import { planSchema } from '@godmode/protocol';
import { replayEntries } from '../replay/replay.js';
import type { RunState } from '../replay/run-state.js';
import type { RunStore } from '../run-store.js';
import { LeaseLostError } from '../errors/lease-lost-error.js';
import { StaleTokenError } from '../errors/stale-token-error.js';
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
  /**
   * What a conductor on another machine needs to carry a fleet run on besides the database (its URL is never
   * published: it may hold a password): the shared remote and the attempts' settings.
   */
  fleet?: { remote: string; snapshotEveryMs: number; heartbeatSeconds: number };
  /** The run's repository as its conductor recorded it at creation (its top on that machine, the run's base commit). */
  repository?: { repo: string; base: string };
}

/** A published entry's payload: the run's entry's own token and payload (the row's token is the publisher's). */
interface PublishedPayload {
  token: number | null;
  payload: unknown;
}

export interface RunPublisher {
  /** Publishes what the file journal holds now, stops following, releases the publisher's lease. */
  stop(): Promise<void>;
}

/**
 * Publishes a run's journal to Postgres as it is written: entry 1 is the plan (`fleet.run-published`), entry
 * n + 1 is entry n of the run's `journal.jsonl` (its time and kind; its token and payload as the payload), in
 * order, gap-free. One publisher at a time: it holds the
 * published journal's own lease and appends with its token, so a second conductor's publisher (a takeover on
 * the same machine) waits for it, and one that lost the lease has every later append refused. A restarted
 * publisher continues after the last entry published. Resolves once the lease is held and the backlog sent.
 */
export async function publishRun(
  store: RunStore,
  pool: PgPool,
  options: {
    log?: (line: string) => void;
    ttlMs?: number;
    signal?: AbortSignal;
    /** Published in the header (entry 1) when this publisher writes it. */
    fleet?: PublishedRunHeader['fleet'];
    repository?: PublishedRunHeader['repository'];
    /**
     * The token of a lease on `publishedRunKey(runId)` the caller holds and renews (a fleet conductor's): the
     * publisher appends with it instead of taking a lease of its own, and calls `onRefused` once an append is
     * refused because a newer token was granted — the caller lost the run.
     */
    heldToken?: number;
    onRefused?: (error: unknown) => void;
  } = {},
): Promise<RunPublisher> {
  const key = publishedRunKey(store.id);
  const ttlMs = options.ttlMs ?? 30_000;
  const journal = new PgJournal({ pool, runId: key });
  const leases = new PgLease({ pool, runId: key });
  const controller = new AbortController();
  const holder = `publisher ${hostname()} ${process.pid}`;
  let lease: Lease | null = null;
  let problem: unknown = null;
  for (let waited = 0; lease === null && options.heldToken === undefined; waited++) {
    if (options.signal?.aborted) return { stop: async () => undefined };
    lease = await leases.acquire({ holder, ttlMs, takeFromDeadHolder: true });
    if (lease === null) {
      if (waited === 0) options.log?.(`waiting for the publisher of ${store.id} on another conductor to stop`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const token = options.heldToken ?? lease!.token;
  const renewal = setInterval(() => {
    if (lease === null) return;
    leases.renew(lease, ttlMs).then(
      (renewed) => (lease = renewed),
      // Lost to another publisher: stop. Anything else (the database away) is retried at the next renewal.
      (error: unknown) => {
        if (LeaseLostError.isInstance(error)) problem ??= error;
      },
    );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  renewal.unref();

  const last = await journal.lastSeq();
  if (last === 0) {
    const { plan, planDir } = await store.readPlan();
    await journal.append(publishedKind, { runId: store.id, planDir, plan, host: hostname(), ...(options.fleet ? { fleet: options.fleet } : {}), ...(options.repository ? { repository: options.repository } : {}) } satisfies PublishedRunHeader, { token });
  }
  // File entries seen and not yet confirmed in Postgres, in seq order; `confirmed` is the last file seq there.
  let confirmed = Math.max(0, last - 1);
  let seen = confirmed;
  const pending: JournalEntry[] = [];
  let pumping: Promise<void> | null = null;
  let stopped = false;
  const pump = async (): Promise<void> => {
    while (pending.length > 0 && problem === null) {
      const batch = pending.slice();
      try {
        // Issued together: one group commit, in order.
        await Promise.all(batch.map((e) => journal.append(e.kind, { token: e.token ?? null, payload: e.payload } satisfies PublishedPayload, { token, at: e.at })));
        confirmed = batch.at(-1)!.seq;
        pending.splice(0, batch.length);
      } catch (error) {
        if (StaleTokenError.isInstance(error) || stopped) {
          problem = error;
          if (StaleTokenError.isInstance(error)) options.onRefused?.(error);
          return;
        }
        // The database is away (a restart): wait, then continue after what it has, so the copy stays gap-free.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const head = await journal.lastSeq().catch(() => null);
        if (head !== null) {
          confirmed = Math.max(0, head - 1);
          while (pending.length > 0 && pending[0]!.seq <= confirmed) pending.shift();
        }
      }
    }
  };
  const publish = (entry: JournalEntry) => {
    if (entry.seq <= seen) return;
    seen = entry.seq;
    pending.push(entry);
    pumping ??= pump().finally(() => (pumping = null));
  };
  const following = store.journal.follow(seen, publish, controller.signal);
  return {
    async stop() {
      controller.abort();
      await following;
      // What was written between the last poll and the stop.
      for (const entry of (await store.journal.read()).entries) publish(entry);
      // From now on a failure ends the publishing instead of waiting for the database.
      stopped = true;
      while (pumping !== null) await pumping;
      clearInterval(renewal);
      await journal.close();
      if (lease !== null) await leases.release(lease).catch(() => undefined);
      if (problem !== null) options.log?.(`publishing run ${store.id} to Postgres stopped after entry ${confirmed}: ${(problem as Error).message ?? String(problem)}`);
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
  const journal = await readPublishedJournal(pool, runId);
  if (journal === null) return null;
  const plan = planSchema.parse(journal.header.plan);
  return { header: journal.header, state: replayEntries(runId, plan, { entries: journal.entries }), entries: journal.entries.length };
}

/**
 * A published run's header and its own journal entries (their own seq, token and payload), or null when the
 * database has no such run: what a conductor on another machine rebuilds the run's folder from.
 */
export async function readPublishedJournal(pool: PgPool, runId: string): Promise<{ header: PublishedRunHeader; entries: JournalEntry[] } | null> {
  const { entries } = await new PgJournal({ pool, runId: publishedRunKey(runId) }).read();
  const first = entries[0];
  if (first === undefined || first.kind !== publishedKind) return null;
  return { header: first.payload as PublishedRunHeader, entries: entries.slice(1).map(unwrap) };
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

/**
 * Follows a published run as `Journal.follow` follows a run folder: the run's entries above `fromSeq` (its own
 * seq, token and payload), in order, as they are published, until `signal` aborts (`orchestra watch --fleet`).
 */
export async function followPublishedRun(pool: PgPool, runId: string, fromSeq: number, onEntry: (entry: JournalEntry) => void, signal: AbortSignal): Promise<void> {
  await new PgJournal({ pool, runId: publishedRunKey(runId) }).follow(fromSeq + 1, (e) => onEntry(unwrap(e)), signal);
}

/** Published entry n + 1 is the run's entry n: its own sequence number, token and payload. */
function unwrap(e: JournalEntry): JournalEntry {
  const { token, payload } = e.payload as PublishedPayload;
  const entry: JournalEntry = { seq: e.seq - 1, at: e.at, kind: e.kind, payload };
  if (token !== null) entry.token = token;
  return entry;
}

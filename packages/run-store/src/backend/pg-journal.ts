import { GodmodeError, type JournalEntry } from '@godmode/protocol';
import { StaleTokenError } from '../errors/stale-token-error.js';
import type { JournalBackend } from './journal-backend.js';
import { ensureDurable } from './pg-durable.js';
import type { PgNotice, PgPool, PgPoolClient } from './pg-pool.js';

interface Pending {
  kind: string;
  at: string;
  token: number | undefined;
  payload: unknown;
  payloadJson: string;
  resolve: (entry: JournalEntry) => void;
  reject: (error: unknown) => void;
}

interface Row {
  seq: string;
  at: string;
  kind: string;
  token: string | null;
  payload: unknown;
}

export interface PgJournalOptions {
  pool: PgPool;
  runId: string;
  /** Poll period of `follow` when no notification arrives. Default 500 ms. */
  followIntervalMs?: number;
  /** Most appends in one call. Default 1,000. */
  maxBatch?: number;
}

/**
 * One statement per batch: the fence check, the gap-free seq and the insert happen in `godmode.append_entries`
 * under the run's row lock. The `where` is a one-time filter: it sets `synchronous_commit = off` for this
 * transaction only, so the commit releases the row lock without waiting for the disk (see `ensureDurable`).
 */
const appendSql = `select idx, seq, fence from godmode.append_entries($1, $2, $3, $4, $5)
  where set_config('synchronous_commit', 'off', true) = 'off'`;

/**
 * A run's journal as rows of `godmode.journal` (the schema in `pgRunStoreSchemaSql`).
 *
 * - Group commit: appends issued while a batch is in flight go out together in the next call (one statement,
 *   one transaction), as the file journal shares one fdatasync.
 * - Early lock release: the append's transaction commits without waiting for the WAL flush, so the run's row
 *   lock (which orders seq and checks the fence) is held for microseconds, not for an fsync; then the flush is
 *   awaited (`ensureDurable`, on any connection) before the batch's promises resolve. While a batch is being
 *   flushed the next one is already appending.
 * - Fencing is unchanged: each token is checked against the run's fence in the same transaction that writes
 *   the entry; a lease grant (which commits synchronously) takes the same row lock.
 * - Readers never see an entry a database crash could take back: `readAfter` flushes the WAL past what it read
 *   before it returns it.
 */
export class PgJournal implements JournalBackend {
  private readonly pool: PgPool;
  readonly runId: string;
  private readonly followIntervalMs: number;
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  /** Resolves when every batch appended so far is durable and settled, in order. */
  private settled: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: PgJournalOptions) {
    this.pool = options.pool;
    this.runId = options.runId;
    this.followIntervalMs = options.followIntervalMs ?? 500;
    this.maxBatch = options.maxBatch ?? 1_000;
  }

  /** `at`: the entry's time when it is a copy of an entry written elsewhere (a published run); default now. */
  append(kind: string, payload: unknown, options: { token?: number; at?: string } = {}): Promise<JournalEntry> {
    if (this.closed) return Promise.reject(new GodmodeError({ code: 'JOURNAL_CLOSED', message: `the journal of ${this.runId} was closed; cannot append "${kind}"` }));
    if (typeof kind !== 'string' || kind === '') return Promise.reject(new GodmodeError({ code: 'JOURNAL_BAD_KIND', message: 'a journal entry needs a non-empty kind' }));
    const token = options.token;
    if (token !== undefined && (!Number.isInteger(token) || token < 0)) {
      return Promise.reject(new GodmodeError({ code: 'JOURNAL_BAD_TOKEN', message: `fencing token ${String(token)} is not a non-negative integer` }));
    }
    let payloadJson: string;
    try {
      payloadJson = JSON.stringify(payload === undefined ? null : payload) ?? 'null';
    } catch (error) {
      return Promise.reject(new GodmodeError({ code: 'JOURNAL_BAD_PAYLOAD', message: `payload of "${kind}" is not JSON-serialisable: ${(error as Error).message}`, cause: error }));
    }
    return new Promise<JournalEntry>((resolve, reject) => {
      // The entry as read back later: JSON round trip, as the file journal gives.
      this.queue.push({ kind, at: options.at ?? new Date().toISOString(), token, payload: JSON.parse(payloadJson) as unknown, payloadJson, resolve, reject });
      this.running ??= this.drain();
    });
  }

  async read(): Promise<{ entries: JournalEntry[] }> {
    return { entries: await this.readAfter(0) };
  }

  /** Entries with seq above `afterSeq`, in order; only durable ones (see the class note). */
  async readAfter(afterSeq: number, limit?: number): Promise<JournalEntry[]> {
    const { rows } = (await this.pool.query(
      `select seq, at, kind, token, payload from godmode.journal where run_id = $1 and seq > $2 order by seq${limit === undefined ? '' : ' limit ' + String(Math.floor(limit))}`,
      [this.runId, afterSeq],
    )) as { rows: Row[] };
    if (rows.length > 0) await ensureDurable(this.pool);
    return rows.map(toEntry);
  }

  /** The last seq written (0 for an empty journal). */
  async lastSeq(): Promise<number> {
    const { rows } = (await this.pool.query('select last_seq from godmode.runs where run_id = $1', [this.runId])) as { rows: Array<{ last_seq: string }> };
    return rows[0] === undefined ? 0 : Number(rows[0].last_seq);
  }

  /**
   * Delivers entries above `fromSeq` as they commit, until `signal` aborts. Woken by the append function's
   * `NOTIFY godmode_journal`, and polls besides (a notification is lost while a connection is down).
   */
  async follow(fromSeq: number, onEntry: (entry: JournalEntry) => void, signal: AbortSignal): Promise<void> {
    let delivered = fromSeq;
    let wake: (() => void) | null = null;
    const poke = () => wake?.();
    let listener: PgPoolClient | null = null;
    const onNotification = (message: PgNotice) => {
      if (message.payload === this.runId) poke();
    };
    signal.addEventListener('abort', poke, { once: true });
    try {
      while (!signal.aborted) {
        if (listener === null) {
          try {
            listener = await this.pool.connect();
            listener.on('notification', onNotification);
            listener.on('error', () => undefined);
            await listener.query('listen godmode_journal');
          } catch {
            listener?.release(true);
            listener = null;
          }
        }
        try {
          for (const entry of await this.readAfter(delivered, 10_000)) {
            delivered = entry.seq;
            onEntry(entry);
          }
        } catch {
          // The database is away (a restart): keep polling until it is back.
          listener?.release(true);
          listener = null;
        }
        if (signal.aborted) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.followIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    } finally {
      signal.removeEventListener('abort', poke);
      if (listener !== null) {
        listener.off('notification', onNotification);
        await listener.query('unlisten godmode_journal').catch(() => undefined);
        listener.release();
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.running !== null) await this.running;
    await this.settled;
  }

  private async drain(): Promise<void> {
    try {
      // Let the appends of this tick join the first batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const written = await this.write(batch);
        // The flush runs while the next batch appends; batches settle in seq order.
        const previous = this.settled;
        const durable = written.length === 0 ? Promise.resolve<unknown>(undefined) : ensureDurable(this.pool).then(() => undefined, (error: unknown) => error ?? new Error('flush failed'));
        this.settled = Promise.all([previous, durable]).then(([, failure]) => {
          for (const { p, entry } of written) {
            if (failure === undefined) p.resolve(entry);
            else p.reject(unknownOutcome(this.runId, p.kind, entry.seq, failure));
          }
        });
      }
    } finally {
      this.running = null;
    }
  }

  /** Appends one batch (one transaction); rejects the refused entries at once, returns those written. */
  private async write(batch: Pending[]): Promise<Array<{ p: Pending; entry: JournalEntry }>> {
    let rows: Array<{ idx: number; seq: string | null; fence: string }>;
    try {
      ({ rows } = (await this.pool.query({
        name: 'godmode_append_entries',
        text: appendSql,
        values: [this.runId, batch.map((p) => p.kind), batch.map((p) => p.at), batch.map((p) => (p.token === undefined ? null : p.token)), batch.map((p) => p.payloadJson)],
      })) as { rows: Array<{ idx: number; seq: string | null; fence: string }> });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return [];
    }
    const written: Array<{ p: Pending; entry: JournalEntry }> = [];
    for (const row of rows) {
      const p = batch[row.idx - 1]!;
      if (row.seq === null) {
        p.reject(new StaleTokenError({ token: p.token!, currentToken: Number(row.fence), kind: p.kind, file: `the Postgres journal of run ${this.runId}` }));
        continue;
      }
      const entry: JournalEntry = { seq: Number(row.seq), at: p.at, kind: p.kind, payload: p.payload };
      if (p.token !== undefined) entry.token = p.token;
      written.push({ p, entry });
    }
    return written;
  }
}

function unknownOutcome(runId: string, kind: string, seq: number, cause: unknown): GodmodeError {
  return new GodmodeError({
    code: 'JOURNAL_UNCONFIRMED',
    audience: 'external',
    message: `"${kind}" was committed as seq ${seq} of run ${runId} in Postgres, but its flush to disk could not be confirmed: ${(cause as Error)?.message ?? String(cause)}`,
    hint: 'Read the journal back once the database answers: the entry is there if the flush happened.',
    cause,
  });
}

function toEntry(row: Row): JournalEntry {
  const entry: JournalEntry = { seq: Number(row.seq), at: row.at, kind: row.kind, payload: row.payload ?? null };
  if (row.token !== null) entry.token = Number(row.token);
  return entry;
}

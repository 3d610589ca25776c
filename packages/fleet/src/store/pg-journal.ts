import { GodmodeError, type JournalEntry } from '@godmode/protocol';
import { StaleTokenError, type JournalBackend } from '@godmode/run-store';
import type pg from 'pg';

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
  pool: pg.Pool;
  runId: string;
  /** Poll period of `follow` when no notification arrives. Default 500 ms. */
  followIntervalMs?: number;
}

/**
 * A run's journal as rows of `godmode.journal`.
 *
 * Appends issued while a batch is in flight go out together in one call of `godmode.append_entries`
 * (one statement, one commit: group commit, as the file journal does with fdatasync). The function locks
 * the run's row, so seq is assigned in commit order without gaps, and each token is checked against the
 * run's fence in the same transaction that writes the entry. An append resolves after the commit.
 */
export class PgJournal implements JournalBackend {
  private readonly pool: pg.Pool;
  readonly runId: string;
  private readonly followIntervalMs: number;
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(options: PgJournalOptions) {
    this.pool = options.pool;
    this.runId = options.runId;
    this.followIntervalMs = options.followIntervalMs ?? 500;
  }

  append(kind: string, payload: unknown, options: { token?: number } = {}): Promise<JournalEntry> {
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
      this.queue.push({ kind, at: new Date().toISOString(), token, payload: JSON.parse(payloadJson) as unknown, payloadJson, resolve, reject });
      this.running ??= this.drain();
    });
  }

  async read(): Promise<{ entries: JournalEntry[] }> {
    return { entries: await this.readAfter(0) };
  }

  /** Entries with seq above `afterSeq`, in order. */
  async readAfter(afterSeq: number, limit?: number): Promise<JournalEntry[]> {
    const { rows } = await this.pool.query<Row>(
      `select seq, at, kind, token, payload from godmode.journal where run_id = $1 and seq > $2 order by seq${limit === undefined ? '' : ' limit ' + String(limit)}`,
      [this.runId, afterSeq],
    );
    return rows.map(toEntry);
  }

  /** The last seq written (0 for an empty journal). */
  async lastSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ last_seq: string }>('select last_seq from godmode.runs where run_id = $1', [this.runId]);
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
    let listener: pg.PoolClient | null = null;
    const onNotification = (message: pg.Notification) => {
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
  }

  private async drain(): Promise<void> {
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, 1_000);
        await this.commit(batch);
      }
    } finally {
      this.running = null;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let rows: Array<{ idx: number; seq: string | null; fence: string }>;
    try {
      ({ rows } = await this.pool.query<{ idx: number; seq: string | null; fence: string }>('select idx, seq, fence from godmode.append_entries($1, $2, $3, $4, $5)', [
        this.runId,
        batch.map((p) => p.kind),
        batch.map((p) => p.at),
        batch.map((p) => (p.token === undefined ? null : p.token)),
        batch.map((p) => p.payloadJson),
      ]));
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    for (const row of rows) {
      const p = batch[row.idx - 1]!;
      if (row.seq === null) {
        p.reject(new StaleTokenError({ token: p.token!, currentToken: Number(row.fence), kind: p.kind, file: `the Postgres journal of run ${this.runId}` }));
        continue;
      }
      const entry: JournalEntry = { seq: Number(row.seq), at: p.at, kind: p.kind, payload: p.payload };
      if (p.token !== undefined) entry.token = p.token;
      p.resolve(entry);
    }
  }
}

function toEntry(row: Row): JournalEntry {
  const entry: JournalEntry = { seq: Number(row.seq), at: row.at, kind: row.kind, payload: row.payload ?? null };
  if (row.token !== null) entry.token = Number(row.token);
  return entry;
}

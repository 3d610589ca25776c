import type { JournalEntry } from '@godmode/protocol';

/**
 * The journal of one run, wherever it is kept (`journal.jsonl` on disk, rows in Postgres).
 *
 * The contract every backend keeps (and `testRunStoreBackend` checks):
 * - `seq` starts at 1 and has no gaps and no duplicates, whatever the number of concurrent writers;
 * - an append that carries a fencing `token` older than the current lease's token (or older than a token
 *   already written) is refused with `StaleTokenError`, and nothing of it is written; the check and the
 *   write are one atomic step, so no append can land after a newer holder was granted the lease;
 * - an append resolves only once the entry is durable;
 * - `follow` delivers every entry with seq above `fromSeq`, in order, including those other writers add.
 */
export interface JournalBackend {
  append(kind: string, payload: unknown, options?: { token?: number }): Promise<JournalEntry>;
  /** Every entry, in seq order. */
  read(): Promise<{ entries: JournalEntry[] }>;
  follow(fromSeq: number, onEntry: (entry: JournalEntry) => void, signal: AbortSignal): Promise<void>;
  /** Waits for pending appends; later appends are refused. */
  close(): Promise<void>;
}

import type { RunRecordsHandle } from '@godmode/run-store';
import type pg from 'pg';
import { PgJournal } from './pg-journal.js';
import { PgLease } from './pg-lease.js';

/** One run's journal and lease in Postgres, through `pool` (closing the handle leaves the pool open). */
export function openPgRecords(pool: pg.Pool, runId: string): RunRecordsHandle & { journal: PgJournal; lease: PgLease } {
  const journal = new PgJournal({ pool, runId });
  const lease = new PgLease({ pool, runId });
  return { journal, lease, close: () => journal.close() };
}

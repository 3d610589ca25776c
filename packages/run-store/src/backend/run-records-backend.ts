import type { JournalBackend } from './journal-backend.js';
import type { LeaseBackend } from './lease-backend.js';

/** One run's shared records through one connection (one process's view): its journal and its lease. */
export interface RunRecordsHandle {
  readonly journal: JournalBackend;
  readonly lease: LeaseBackend;
  close(): Promise<void>;
}

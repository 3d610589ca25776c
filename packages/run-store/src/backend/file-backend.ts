import { RunStore } from '../run-store.js';
import type { RunRecordsHandle } from './run-records-backend.js';

/**
 * The file backend: `journal.jsonl` and `leases/` of a run directory. Each call is an independent view
 * (its own journal writer and lease reader), as another process would have.
 */
export function openFileRecords(runDir: string): RunRecordsHandle {
  const store = new RunStore(runDir);
  return { journal: store.journal, lease: store.lease, close: () => store.close() };
}

// One run's journal and lease in Postgres: one implementation, in @godmode/run-store.
export { openPgRecords } from '@godmode/run-store';

// The run store's Postgres journal (group commit, fenced, gap-free): one implementation, in @godmode/run-store.
export { PgJournal, type PgJournalOptions } from '@godmode/run-store';

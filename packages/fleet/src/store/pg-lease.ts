// The run store's Postgres lease (a row whose token only grows): one implementation, in @godmode/run-store.
export { PgLease } from '@godmode/run-store';

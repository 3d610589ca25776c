// The run store's Postgres lease (a row whose token only grows, expiry by the database's clock): one implementation.
export { PgLease } from '@godmode/run-store';

export { fleetSchemaSql, fleetSchemaVersion, migrateFleetSchema, checkFleetSchema } from './store/schema.js';
export { PgJournal, type PgJournalOptions } from './store/pg-journal.js';
export { PgLease } from './store/pg-lease.js';
export { openPgRecords } from './store/pg-records.js';
export { FleetSchemaError } from './errors/fleet-schema-error.js';
export { openPool, type Pool } from './store/pool.js';

import { pgRunStoreSchemaSql } from '@godmode/run-store';
import type pg from 'pg';
import { FleetSchemaError } from '../errors/fleet-schema-error.js';

/** Bumped with every change of `fleetSchemaSql`; an agent or conductor refuses a database at another version. */
export const fleetSchemaVersion = 1;

/**
 * The `godmode` schema: the run store's Postgres backend (pg-boss keeps its own schema, `pgboss`).
 *
 * - `runs`: one row per run — the journal head (`last_seq`) and the fence (`fence_token`: the highest token
 *   ever granted as a lease or written in the journal). Every append and every lease grant locks this row,
 *   so they are totally ordered: an append either commits before a newer lease is granted, or sees it.
 * - `journal`: one row per entry, `(run_id, seq)` the key; seq is assigned under the row lock, never from
 *   a sequence, so a rolled-back append leaves no gap.
 * - `leases`: the lease of a run as one row; its token only grows (granted as `fence_token + 1`).
 * - `append_entries(...)`: a batch of appends in one call, fencing checked entry by entry in order, as the
 *   file journal does; returns each entry's seq (null when refused) and the fence it was checked against.
 */
export const fleetSchemaSql = /* sql */ `
create schema if not exists godmode;

create table if not exists godmode.schema_version (
  version int primary key,
  applied_at timestamptz not null default now()
);
${pgRunStoreSchemaSql}`;

/** Creates or completes the schema (idempotent), in one transaction. */
export async function migrateFleetSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // Two agents started with --migrate at once must not both run the DDL.
    await client.query(`select pg_advisory_xact_lock(hashtext('godmode.fleet.migrate'))`);
    await client.query(fleetSchemaSql);
    await client.query('insert into godmode.schema_version (version) values ($1) on conflict do nothing', [fleetSchemaVersion]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Throws `FleetSchemaError` when the database has no godmode schema, or one at another version. */
export async function checkFleetSchema(pool: pg.Pool, database: string): Promise<void> {
  const { rows } = await pool.query<{ present: boolean }>(`select to_regclass('godmode.schema_version') is not null as present`);
  if (!rows[0]?.present) throw new FleetSchemaError({ database, found: null, expected: fleetSchemaVersion });
  const versions = await pool.query<{ version: number }>('select max(version) as version from godmode.schema_version');
  const found = versions.rows[0]?.version ?? null;
  if (found !== fleetSchemaVersion) throw new FleetSchemaError({ database, found, expected: fleetSchemaVersion });
}

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

create table if not exists godmode.runs (
  run_id text primary key,
  last_seq bigint not null default 0,
  fence_token bigint not null default 0,
  created_at timestamptz not null default now()
);

create table if not exists godmode.journal (
  run_id text not null references godmode.runs (run_id) on delete cascade,
  seq bigint not null,
  at text not null,
  kind text not null,
  token bigint,
  payload json,
  primary key (run_id, seq)
);

create table if not exists godmode.leases (
  run_id text primary key references godmode.runs (run_id) on delete cascade,
  token bigint not null,
  holder text not null,
  pid int not null,
  host text not null,
  acquired_at text not null,
  renewed_at text not null,
  expires_at bigint not null,
  released boolean not null default false
);

create or replace function godmode.now_ms() returns bigint language sql volatile as $$
  select (extract(epoch from clock_timestamp()) * 1000)::bigint
$$;

create or replace function godmode.append_entries(p_run text, p_kinds text[], p_ats text[], p_tokens bigint[], p_payloads text[])
returns table (idx int, seq bigint, fence bigint) language plpgsql as $$
declare
  v_seq bigint;
  v_fence bigint;
  v_first bigint;
  v_keep int[] := '{}';
  v_seqs bigint[] := '{}';
  i int;
begin
  insert into godmode.runs (run_id) values (p_run) on conflict (run_id) do nothing;
  select r.last_seq, r.fence_token into v_seq, v_fence from godmode.runs r where r.run_id = p_run for update;
  v_first := v_seq;
  for i in 1 .. coalesce(array_length(p_kinds, 1), 0) loop
    idx := i;
    if p_tokens[i] is not null and p_tokens[i] < v_fence then
      seq := null;
      fence := v_fence;
    else
      if p_tokens[i] is not null then v_fence := p_tokens[i]; end if;
      v_seq := v_seq + 1;
      v_keep := v_keep || i;
      v_seqs := v_seqs || v_seq;
      seq := v_seq;
      fence := v_fence;
    end if;
    return next;
  end loop;
  if v_seq > v_first then
    insert into godmode.journal (run_id, seq, at, kind, token, payload)
      select p_run, s.seq, p_ats[s.i], p_kinds[s.i], p_tokens[s.i], p_payloads[s.i]::json
      from unnest(v_keep, v_seqs) as s (i, seq);
    update godmode.runs set last_seq = v_seq, fence_token = v_fence where run_id = p_run;
    perform pg_notify('godmode_journal', p_run);
  end if;
end
$$;
`;

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

/**
 * The run store's tables in Postgres (schema `godmode`), idempotent DDL. `@godmode/fleet` migrates it as part of
 * its schema (with its version table); it is here so the backend and its tables are read in one place.
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
export const pgRunStoreSchemaSql = /* sql */ `
create schema if not exists godmode;

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

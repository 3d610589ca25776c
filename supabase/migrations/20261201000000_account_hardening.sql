-- Hardening after the account service was attacked (issue 18):
--   1. revocation that sticks: only the service writes a CLI token's revocation, owner, hash or expiry;
--   2. a session JWT minted from a CLI token is checked against that token on every use (RLS);
--   3. no sequence and no function of the exposed schema is usable by anon/authenticated by default;
--   4. the device flow's limits are atomic in the database (wrong codes per user, starts per address)
--      and expired codes are purged.

-- Functions that policies and triggers call live outside the exposed schema: PostgREST cannot offer them
-- as RPC endpoints.
create schema if not exists godmode_private;
revoke all on schema godmode_private from public;
grant usage on schema godmode_private to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------
-- 1. Revocation is the service's alone.
-- Users revoke through the cli-auth function (`revoke`, with the token itself), never by writing the row:
-- no UPDATE privilege on cli_tokens for anon/authenticated, and no update policy. A trigger holds the
-- same line even if a later migration grants UPDATE again.
drop policy if exists cli_tokens_revoke_own on public.cli_tokens;
revoke update (revoked_at) on public.cli_tokens from authenticated;
revoke update, insert, delete, truncate on public.cli_tokens from anon, authenticated;

create function godmode_private.guard_cli_token_update()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.revoked_at is not distinct from old.revoked_at
     and new.expires_at is not distinct from old.expires_at
     and new.user_id = old.user_id
     and new.token_hash = old.token_hash then
    return new;
  end if;
  -- The service (edge functions: service_role, or the owner `postgres` they connect as) and superusers.
  if current_user = 'service_role'
     or current_user = (select pg_catalog.pg_get_userbyid(c.relowner) from pg_catalog.pg_class c where c.oid = tg_relid)
     or (select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user) then
    return new;
  end if;
  raise exception 'only the account service may change a CLI token''s revocation, expiry, owner or hash'
    using errcode = '42501', hint = 'Revoke a token with `godmode logout` (the cli-auth function''s revoke action).';
end;
$$;
revoke all on function godmode_private.guard_cli_token_update() from public, anon, authenticated;

create trigger cli_tokens_guard
  before update on public.cli_tokens
  for each row execute function godmode_private.guard_cli_token_update();

-- ---------------------------------------------------------------------------------------------------
-- 2. Sessions minted from a CLI token (mcp-actions `session`) carry the token's id in the claim
-- `godmode_token_id`; every policy asks whether that token is still live. A website session (no such
-- claim) is not affected. The check raises rather than returning false, so a refused session is told why
-- (PostgREST answers 403 with this message) instead of silently seeing nothing.
create function godmode_private.cli_session_live()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_claim text := (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb) ->> 'godmode_token_id';
begin
  if v_claim is null then
    return true;
  end if;
  if v_claim ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' and exists (
    select 1 from public.cli_tokens t
     where t.id = v_claim::uuid
       and t.user_id = auth.uid()
       and t.revoked_at is null
       and (t.expires_at is null or t.expires_at > pg_catalog.now())
  ) then
    return true;
  end if;
  raise exception 'the CLI token behind this session is revoked or expired'
    using errcode = '42501', hint = 'Run `godmode login` again.';
end;
$$;
revoke all on function godmode_private.cli_session_live() from public;
grant execute on function godmode_private.cli_session_live() to anon, authenticated, service_role;

alter policy device_codes_select_own on public.device_codes
  using (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()));
alter policy cli_tokens_select_own on public.cli_tokens
  using (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()));
alter policy skills_select_own on public.skills
  using (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()));
alter policy skills_insert_own on public.skills
  with check (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()));
alter policy skills_update_own on public.skills
  using (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()))
  with check (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()));
alter policy skills_delete_own on public.skills
  using (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()));
alter policy telemetry_insert_own on public.telemetry_events
  with check (user_id = (select auth.uid()) and (select godmode_private.cli_session_live()));

-- ---------------------------------------------------------------------------------------------------
-- 3. Sequences and functions. Supabase's default privileges give anon/authenticated everything on new
-- sequences (so anon could `setval` an identity sequence) and EXECUTE on new functions. Identity columns
-- need no privilege on their sequence to insert, so nobody but the service needs them.
revoke all on all sequences in schema public from public, anon, authenticated;
alter default privileges in schema public revoke all on sequences from public, anon, authenticated;
alter default privileges in schema public revoke execute on functions from public, anon, authenticated;
grant usage, select, update on all sequences in schema public to service_role;

-- ---------------------------------------------------------------------------------------------------
-- 4. Device flow limits, atomic in the database.

-- `start` per client address: a fixed window per address hash (the address itself is never stored). One
-- INSERT … ON CONFLICT DO UPDATE … RETURNING per start: the row lock orders parallel starts, so a burst
-- of 300 counts 1..300 and only the first `p_max` pass.
create table public.device_start_limits (
  client_hash text primary key check (client_hash ~ '^[0-9a-f]{64}$'),
  window_start timestamptz not null,
  starts integer not null check (starts >= 1)
);
alter table public.device_start_limits enable row level security;
alter table public.device_start_limits force row level security;
revoke all on public.device_start_limits from public, anon, authenticated;
grant all on public.device_start_limits to service_role;

create function public.take_device_start(p_client_hash text, p_now timestamptz, p_window_seconds integer, p_max integer)
returns table (allowed boolean, retry_after integer)
language sql
security definer
set search_path = ''
as $$
  insert into public.device_start_limits as l (client_hash, window_start, starts)
  values (p_client_hash, p_now, 1)
  on conflict (client_hash) do update set
    starts = case when l.window_start <= p_now - pg_catalog.make_interval(secs => p_window_seconds) then 1 else l.starts + 1 end,
    window_start = case when l.window_start <= p_now - pg_catalog.make_interval(secs => p_window_seconds) then p_now else l.window_start end
  returning l.starts <= p_max,
            greatest(1, ceil(extract(epoch from (l.window_start + pg_catalog.make_interval(secs => p_window_seconds) - p_now)))::integer);
$$;
revoke all on function public.take_device_start(text, timestamptz, integer, integer) from public, anon, authenticated;
grant execute on function public.take_device_start(text, timestamptz, integer, integer) to service_role;

-- approve/deny: the wrong-code limit per user. A transaction-scoped advisory lock per user serialises one
-- user's decisions, so counting the failures in the window, trying the code and recording a failure are
-- one step: a parallel burst evaluates at most `p_max` codes. Returns 'limited', 'unknown' or 'decided'.
create function public.decide_device_code(
  p_user_id uuid, p_user_code_hash text, p_state text, p_now timestamptz, p_window_seconds integer, p_max integer
)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_failed integer;
  v_id uuid;
begin
  if p_state not in ('approved', 'denied') then
    raise exception 'decide_device_code: state must be approved or denied, not %', p_state using errcode = '22023';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('godmode.device_code_attempts:' || p_user_id::text, 0));
  select count(*) into v_failed
    from public.device_code_attempts a
   where a.user_id = p_user_id and a.attempted_at > p_now - pg_catalog.make_interval(secs => p_window_seconds);
  if v_failed >= p_max then
    return 'limited';
  end if;
  if p_user_code_hash is not null then
    update public.device_codes d
       set state = p_state, user_id = p_user_id, decided_at = p_now
     where d.user_code_hash = p_user_code_hash and d.state = 'pending' and d.expires_at > p_now
    returning d.id into v_id;
  end if;
  if v_id is null then
    insert into public.device_code_attempts (user_id, attempted_at) values (p_user_id, p_now);
    return 'unknown';
  end if;
  return 'decided';
end;
$$;
revoke all on function public.decide_device_code(uuid, text, text, timestamptz, integer, integer) from public, anon, authenticated;
grant execute on function public.decide_device_code(uuid, text, text, timestamptz, integer, integer) to service_role;

-- Expired pairings, old failed-code records and old start windows go; called by `start`. A code is kept
-- `p_grace_seconds` past its expiry so a late poll still hears `expired_token` rather than `invalid_grant`.
create function public.purge_device_flow(p_now timestamptz, p_grace_seconds integer default 3600)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_codes integer;
begin
  delete from public.device_codes d where d.expires_at < p_now - pg_catalog.make_interval(secs => p_grace_seconds);
  get diagnostics v_codes = row_count;
  delete from public.device_code_attempts a where a.attempted_at < p_now - interval '1 day';
  delete from public.device_start_limits l where l.window_start < p_now - interval '1 day';
  return v_codes;
end;
$$;
revoke all on function public.purge_device_flow(timestamptz, integer) from public, anon, authenticated;
grant execute on function public.purge_device_flow(timestamptz, integer) to service_role;

-- godmode account backend: device-code pairing, CLI tokens, skills, telemetry.
-- Every table: RLS enabled AND forced (so even the owner goes through policies); only service_role
-- (BYPASSRLS, used by the edge functions) sees across users. No policy uses a constant `true`.

-- Device codes of RFC 8628. Codes are stored as SHA-256 hex only: a database leak gives nobody a
-- pending pairing to approve or poll.
create table public.device_codes (
  id uuid primary key default gen_random_uuid(),
  device_code_hash text not null unique check (device_code_hash ~ '^[0-9a-f]{64}$'),
  user_code_hash text not null unique check (user_code_hash ~ '^[0-9a-f]{64}$'),
  state text not null default 'pending' check (state in ('pending', 'approved', 'denied', 'consumed')),
  user_id uuid references auth.users (id) on delete cascade,
  client_name text check (char_length(client_name) <= 200),
  interval_seconds integer not null default 5 check (interval_seconds between 1 and 600),
  poll_attempts integer not null default 0,
  last_polled_at timestamptz,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  decided_at timestamptz
);
create index device_codes_expires_at on public.device_codes (expires_at);

-- Failed user-code entries by a signed-in user: the brute-force limit counts these in a window.
create table public.device_code_attempts (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  attempted_at timestamptz not null default now()
);
create index device_code_attempts_user_time on public.device_code_attempts (user_id, attempted_at);

-- Opaque `gmmcp_…` tokens: only the hash is kept; the prefix is what a user sees in a token list.
create table public.cli_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  token_prefix text not null check (token_prefix ~ '^gmmcp_[A-Za-z0-9_-]{1,12}$'),
  name text not null default 'godmode CLI' check (char_length(name) <= 200),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index cli_tokens_user on public.cli_tokens (user_id);

create table public.skills (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  -- Claude Code's skill names: lowercase letters, digits and hyphens, at most 64.
  name text not null check (name ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  description text not null check (char_length(description) between 1 and 1024),
  content text not null check (char_length(content) <= 200000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, name)
);

create table public.telemetry_events (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  event text not null check (event ~ '^[a-z][a-z0-9_.:-]{0,63}$'),
  payload jsonb not null default '{}'::jsonb check (pg_column_size(payload) <= 16384),
  created_at timestamptz not null default now()
);

alter table public.device_codes enable row level security;
alter table public.device_codes force row level security;
alter table public.device_code_attempts enable row level security;
alter table public.device_code_attempts force row level security;
alter table public.cli_tokens enable row level security;
alter table public.cli_tokens force row level security;
alter table public.skills enable row level security;
alter table public.skills force row level security;
alter table public.telemetry_events enable row level security;
alter table public.telemetry_events force row level security;

-- Privileges first (Supabase grants everything to anon/authenticated by default), policies second.
revoke all on public.device_codes, public.device_code_attempts, public.cli_tokens, public.skills, public.telemetry_events from anon, authenticated;
grant select on public.device_codes to authenticated;
grant select on public.cli_tokens to authenticated;
grant update (revoked_at) on public.cli_tokens to authenticated;
grant select, insert, delete on public.skills to authenticated;
grant update (name, description, content, updated_at) on public.skills to authenticated;
grant insert (user_id, event, payload) on public.telemetry_events to authenticated;
grant all on public.device_codes, public.device_code_attempts, public.cli_tokens, public.skills, public.telemetry_events to service_role;

-- `(select auth.uid())` rather than `auth.uid()`: evaluated once per statement, not per row.
create policy device_codes_select_own on public.device_codes
  for select to authenticated using (user_id = (select auth.uid()));

create policy cli_tokens_select_own on public.cli_tokens
  for select to authenticated using (user_id = (select auth.uid()));
create policy cli_tokens_revoke_own on public.cli_tokens
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy skills_select_own on public.skills
  for select to authenticated using (user_id = (select auth.uid()));
create policy skills_insert_own on public.skills
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy skills_update_own on public.skills
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy skills_delete_own on public.skills
  for delete to authenticated using (user_id = (select auth.uid()));

-- Insert-only: no select policy at all, so only service_role ever reads telemetry.
create policy telemetry_insert_own on public.telemetry_events
  for insert to authenticated with check (user_id = (select auth.uid()));

-- Used by the edge function on every token-authenticated call. SECURITY DEFINER so it also works from
-- a non-service connection; search_path pinned to empty so no caller-controlled schema can shadow names.
create function public.touch_cli_token(p_token_hash text, p_now timestamptz default now())
returns table (token_id uuid, user_id uuid)
language sql
security definer
set search_path = ''
as $$
  update public.cli_tokens t
     set last_used_at = p_now
   where t.token_hash = p_token_hash
     and t.revoked_at is null
     and (t.expires_at is null or t.expires_at > p_now)
  returning t.id, t.user_id;
$$;
revoke all on function public.touch_cli_token(text, timestamptz) from public, anon, authenticated;
grant execute on function public.touch_cli_token(text, timestamptz) to service_role;

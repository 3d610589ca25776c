import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRole, createSupabaseDatabase } from '../src/stand-in/database.js';
import { lintDatabase } from '../src/stand-in/security-lint.js';

// The real migrations on real Postgres (PGlite) with Supabase's roles; every query as PostgREST runs it.
let db: PGlite;
let alice: string;
let bob: string;
const TABLES = ['device_codes', 'device_code_attempts', 'device_start_limits', 'cli_tokens', 'skills', 'telemetry_events'];
const hash = (c: string) => c.repeat(64);

const asUser = <T>(id: string, work: Parameters<typeof asRole<T>>[3]) => asRole(db, 'authenticated', { sub: id, role: 'authenticated' }, work);
const asAnon = <T>(work: Parameters<typeof asRole<T>>[3]) => asRole(db, 'anon', { role: 'anon' }, work);
/** Rows visible, or the error code when the role may not even look (both mean "reads nothing"). */
async function visible(run: (w: (tx: { query: PGlite['query'] }) => Promise<number>) => Promise<number>, table: string): Promise<number | string> {
  try {
    return await run(async (tx) => (await tx.query(`select * from public.${table}`)).rows.length);
  } catch (error) {
    return (error as { code: string }).code;
  }
}

beforeAll(async () => {
  db = await createSupabaseDatabase();
  [alice, bob] = (await db.query<{ id: string }>("insert into auth.users (email) values ('alice@x.test'), ('bob@x.test') returning id")).rows.map((r) => r.id) as [string, string];
  for (const [user, c] of [[alice, 'a'], [bob, 'b']] as const) {
    await db.query("insert into public.skills (user_id, name, description, content) values ($1, $2, 'd', 'c')", [user, `skill-${c}`]);
    await db.query("insert into public.cli_tokens (user_id, token_hash, token_prefix) values ($1, $2, 'gmmcp_abc')", [user, hash(c)]);
    await db.query("insert into public.telemetry_events (user_id, event) values ($1, 'cmd')", [user]);
    await db.query("insert into public.device_codes (device_code_hash, user_code_hash, user_id, expires_at) values ($1, $2, $3, now() + interval '1 hour')", [hash(c), hash(c === 'a' ? 'c' : 'd'), user]);
    await db.query('insert into public.device_code_attempts (user_id) values ($1)', [user]);
  }
});
afterAll(async () => db?.close());

describe('row level security', () => {
  it('anon reads nothing from any table', async () => {
    for (const t of TABLES) {
      const seen = await visible((w) => asAnon(w), t);
      expect(seen === 0 || seen === '42501', `${t}: ${seen}`).toBe(true);
    }
  });

  it('anon cannot write any table', async () => {
    await expect(asAnon((tx) => tx.query("insert into public.skills (user_id, name, description, content) values ($1, 'x', 'd', 'c')", [alice]))).rejects.toMatchObject({ code: '42501' });
    await expect(asAnon((tx) => tx.query("insert into public.telemetry_events (user_id, event) values ($1, 'x')", [alice]))).rejects.toMatchObject({ code: '42501' });
  });

  it("a user sees only their own skills, tokens and device codes", async () => {
    for (const t of ['skills', 'cli_tokens', 'device_codes']) {
      const rows = await asUser(alice, async (tx) => (await tx.query<{ user_id: string }>(`select user_id from public.${t}`)).rows);
      expect(rows.length, t).toBe(1);
      expect(rows[0]!.user_id).toBe(alice);
    }
  });

  it("A cannot change or delete B's skills, nor revoke B's tokens", async () => {
    const updated = await asUser(alice, async (tx) => (await tx.query("update public.skills set content = 'pwned' where user_id = $1 returning id", [bob])).rows.length);
    const deleted = await asUser(alice, async (tx) => (await tx.query('delete from public.skills where user_id = $1 returning id', [bob])).rows.length);
    // Revocation is the service's alone now (issue 18): the update is refused outright.
    const revoked = await asUser(alice, async (tx) => (await tx.query('update public.cli_tokens set revoked_at = now() where user_id = $1 returning id', [bob])).rows.length).catch(
      (e: { code: string }) => (e.code === '42501' ? 0 : Promise.reject(e)),
    );
    expect([updated, deleted, revoked]).toEqual([0, 0, 0]);
    const bobs = await db.query<{ content: string }>('select content from public.skills where user_id = $1', [bob]);
    expect(bobs.rows[0]!.content).toBe('c');
    expect((await db.query('select 1 from public.cli_tokens where user_id = $1 and revoked_at is null', [bob])).rows).toHaveLength(1);
  });

  it("A cannot create rows in B's name", async () => {
    await expect(asUser(alice, (tx) => tx.query("insert into public.skills (user_id, name, description, content) values ($1, 'evil', 'd', 'c')", [bob]))).rejects.toMatchObject({ code: '42501' });
    await expect(asUser(alice, (tx) => tx.query("insert into public.telemetry_events (user_id, event) values ($1, 'evil')", [bob]))).rejects.toMatchObject({ code: '42501' });
    await expect(asUser(alice, (tx) => tx.query("insert into public.cli_tokens (user_id, token_hash, token_prefix) values ($1, $2, 'gmmcp_x')", [alice, hash('e')]))).rejects.toMatchObject({ code: '42501' });
  });

  it('a user may insert their own telemetry but nobody except the service reads it', async () => {
    await asUser(alice, (tx) => tx.query("insert into public.telemetry_events (user_id, event) values ($1, 'ok')", [alice]));
    expect(await visible((w) => asUser(alice, w), 'telemetry_events')).toBe('42501');
    expect(await visible((w) => asUser(bob, w), 'telemetry_events')).toBe('42501');
    expect(await visible((w) => asAnon(w), 'telemetry_events')).toBe('42501');
    expect(await visible((w) => asRole(db, 'service_role', { role: 'service_role' }, w), 'telemetry_events')).toBe(3);
  });

  it('a user can manage their own skills', async () => {
    await asUser(alice, (tx) => tx.query("insert into public.skills (name, description, content) values ('mine', 'd', 'c')"));
    const n = await asUser(alice, async (tx) => (await tx.query("delete from public.skills where name = 'mine' returning id")).rows.length);
    expect(n).toBe(1);
  });
});

describe('security lint (Supabase 0013 rls_disabled_in_public, plus forced RLS, permissive policies, definer search_path)', () => {
  it('every table in an exposed schema has RLS enabled and forced', async () => {
    const { rows } = await db.query<{ table: string; enabled: boolean; forced: boolean }>(
      `select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname = any ($1)`,
      [['public', 'graphql_public']],
    );
    expect(rows.map((r) => r.table).sort()).toEqual([...TABLES].sort());
    const offenders = rows.filter((r) => !r.enabled || !r.forced).map((r) => `${r.table} (enabled=${r.enabled}, forced=${r.forced})`);
    expect(offenders).toEqual([]);
  });

  it('the lint catches a table without RLS (it can fail)', async () => {
    await db.exec('create table public.lint_probe (id int)');
    const { rows } = await db.query<{ n: number }>("select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity");
    await db.exec('drop table public.lint_probe');
    expect(rows[0]!.n).toBe(1);
  });

  it('no policy has a constant true check', async () => {
    const { rows } = await db.query<{ policyname: string; qual: string | null; with_check: string | null }>("select policyname, qual, with_check from pg_policies where schemaname = 'public'");
    expect(rows.length).toBeGreaterThan(0);
    for (const p of rows) {
      expect(p.qual?.trim(), p.policyname).not.toBe('true');
      expect(p.with_check?.trim(), p.policyname).not.toBe('true');
    }
  });

  it('every SECURITY DEFINER function pins search_path', async () => {
    const { rows } = await db.query<{ proname: string; proconfig: string[] | null }>(
      "select p.proname, p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.prosecdef and n.nspname = 'public'",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const f of rows) expect(f.proconfig?.some((c) => c.startsWith('search_path=')), f.proname).toBe(true);
  });
});

describe('security lint of the live catalog: tables, sequences, functions, policies (issue 18)', () => {
  const lint = () => lintDatabase((sql, params) => db.query(sql, params));

  it('the real migrations are clean', async () => {
    expect(await lint()).toEqual([]);
  });

  // Each bad migration is applied in a transaction that is rolled back, so the cases do not leak into each other.
  const bad: Array<{ name: string; sql: string; expect: RegExp }> = [
    { name: 'grants a sequence to anon', sql: 'grant usage, select, update on sequence public.telemetry_events_id_seq to anon', expect: /sequence public\.telemetry_events_id_seq: anon has usage,select,update/ },
    { name: 'grants all sequences to authenticated', sql: 'grant all on all sequences in schema public to authenticated', expect: /sequence public\.device_code_attempts_id_seq: authenticated has/ },
    {
      name: "restores Supabase's default sequence grants, then adds a table with an identity",
      sql: 'alter default privileges in schema public grant all on sequences to anon; create table public.probe (id bigint generated always as identity primary key); alter table public.probe enable row level security; alter table public.probe force row level security',
      expect: /sequence public\.probe_id_seq: anon has/,
    },
    { name: 'grants a definer function to anon', sql: 'grant execute on function public.decide_device_code(uuid, text, text, timestamptz, integer, integer) to anon', expect: /function public\.decide_device_code\(.*\): anon may execute it over RPC with its owner/ },
    { name: 'creates a function without revoking it from PUBLIC', sql: "alter default privileges in schema public grant execute on functions to public; create function public.probe_fn() returns int language sql as 'select 1'", expect: /function public\.probe_fn\(\): anon may execute/ },
    { name: 'creates a definer function without a search_path', sql: "create function godmode_private.probe_definer() returns int language sql security definer as 'select 1'", expect: /probe_definer: SECURITY DEFINER without a pinned search_path/ },
    { name: 'creates a table without RLS', sql: 'create table public.probe_open (id int)', expect: /table public\.probe_open: row level security is not enabled/ },
    { name: 'enables RLS without forcing it', sql: 'create table public.probe_soft (id int); alter table public.probe_soft enable row level security', expect: /table public\.probe_soft: row level security is not forced/ },
    { name: 'adds a constant-true policy', sql: 'create policy probe_all on public.skills for select to authenticated using (true)', expect: /policy public\.skills probe_all: a constant true/ },
  ];

  it.each(bad)('fails a migration that $name', async ({ sql, expect: pattern }) => {
    let problems: string[] = [];
    await db.transaction(async (tx) => {
      await tx.exec(sql);
      problems = await lintDatabase((q, params) => tx.query(q, params));
      await tx.rollback();
    });
    expect(problems.join('\n')).toMatch(pattern);
    expect(await lint()).toEqual([]);
  });
});

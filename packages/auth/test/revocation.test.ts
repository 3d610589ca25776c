import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/index.js';
import { asRole, type ApiRole } from '../src/stand-in/database.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';
import { accountFor } from './helpers.js';

// Issue 18: a revoked CLI token stays revoked, and the short-lived session JWT minted from it dies with it.
let standIn: SupabaseStandIn;
let db: PGlite;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  db = standIn.db;
});
afterAll(async () => standIn?.close());

const hash = (c: string) => c.repeat(64);

async function revokedTokenOf(userId: string, c: string): Promise<string> {
  const rows = await standIn.sql<{ id: string }>(
    "insert into public.cli_tokens (user_id, token_hash, token_prefix, revoked_at, expires_at) values ($1, $2, 'gmmcp_abc', now(), now() + interval '1 day') returning id",
    [userId, hash(c)],
  );
  return rows[0]!.id;
}

/** What a role's attempt did: the rows it changed, or the SQLSTATE that refused it. */
async function attempt(role: ApiRole, sub: string | null, sql: string, params: unknown[]): Promise<number | string> {
  try {
    return await asRole(db, role, sub ? { sub, role } : { role }, async (tx) => (await tx.query(sql, params)).rows.length);
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('revocation columns are the service’s alone', () => {
  const cases: Array<{ name: string; set: string; value: (now: Date, other: string) => unknown }> = [
    { name: 'un-revoke', set: 'revoked_at = $2', value: () => null },
    { name: 'move the revocation into the future', set: 'revoked_at = $2', value: (now) => new Date(now.getTime() + 86_400_000) },
    { name: 'extend the expiry', set: 'expires_at = $2', value: () => null },
    { name: 'give the token to someone else', set: 'user_id = $2', value: (_, other) => other },
  ];
  let n = 0;

  it.each(cases)('$name: refused for anon and for authenticated (owner or not), allowed for service_role', async ({ set, value }) => {
    const owner = await standIn.createUser();
    const other = await standIn.createUser();
    const id = await revokedTokenOf(owner.id, 'abcde'[n++]!);
    const sql = `update public.cli_tokens set ${set} where id = $1 returning id`;
    const params = [id, value(new Date(), other.id)];
    const before = await standIn.sql('select revoked_at, expires_at, user_id from public.cli_tokens where id = $1', [id]);
    for (const [role, sub] of [['anon', null], ['authenticated', owner.id], ['authenticated', other.id]] as const) {
      const outcome = await attempt(role, sub, sql, params);
      expect(outcome === 0 || outcome === '42501', `${role} ${sub === owner.id ? 'owner' : sub ?? ''}: ${outcome}`).toBe(true);
      expect(await standIn.sql('select revoked_at, expires_at, user_id from public.cli_tokens where id = $1', [id])).toEqual(before);
    }
    // Every other path a user has to the table (PostgREST PATCH with their own session) is the same role.
    expect(await attempt('service_role', null, sql, params)).toBe(1);
    await standIn.sql('delete from public.cli_tokens where id = $1', [id]);
  });

  it('a user cannot revoke or un-revoke through the REST API either', async () => {
    const owner = await standIn.createUser();
    const id = await revokedTokenOf(owner.id, 'f');
    const r = await fetch(`${standIn.url}/rest/v1/cli_tokens?id=eq.${id}`, {
      method: 'PATCH',
      headers: { apikey: standIn.anonKey, authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json', prefer: 'return=representation' },
      body: JSON.stringify({ revoked_at: null }),
    });
    expect(r.status).toBe(403);
    expect((await standIn.sql<{ revoked: boolean }>('select revoked_at is not null as revoked from public.cli_tokens where id = $1', [id]))[0]!.revoked).toBe(true);
  });
});

describe('a session minted from a CLI token', () => {
  it('works until the token is revoked, and is refused on every use after', async () => {
    const ctx = await accountFor(standIn);
    const user = await standIn.createUser();
    await login(ctx.account, { onCode: (c) => void standIn.approve(c.userCode, user.id), sleep: async (ms) => standIn.advance(ms) });
    const token = (await ctx.account.tokens.read())!.token;
    await standIn.sql("insert into public.skills (user_id, name, description, content) values ($1, 'mine', 'd', 'c')", [user.id]);
    const call = (path: string, body: unknown, auth: string) =>
      fetch(`${standIn.url}${path}`, { method: 'POST', headers: { apikey: standIn.anonKey, authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const session = (await (await call('/functions/v1/mcp-actions', { action: 'session' }, token)).json()) as { access_token: string; expires_in: number };
    const rest = (method: string, path: string, body?: unknown) =>
      fetch(`${standIn.url}/rest/v1/${path}`, {
        method,
        headers: { apikey: standIn.anonKey, authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const before = await rest('GET', 'skills?select=name');
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual([{ name: 'mine' }]);

    const revoked = await call('/functions/v1/cli-auth', { action: 'revoke' }, token);
    expect(await revoked.json()).toEqual({ revoked: true });

    // Well inside the session's lifetime: the JWT itself is still valid, the token behind it is not.
    standIn.advance(1000);
    const reads = await Promise.all(['skills?select=name', 'cli_tokens?select=id', 'device_codes?select=id'].map((p) => rest('GET', p)));
    for (const r of reads) expect(r.status, await r.clone().text()).toBe(403);
    expect(JSON.stringify(await reads[0]!.json())).toMatch(/revoked or expired/);
    expect((await rest('POST', 'skills', { name: 'after', description: 'd', content: 'c' })).status).toBe(403);
    expect((await rest('DELETE', 'skills?name=eq.mine')).status).toBe(403);
    expect((await rest('POST', 'telemetry_events', { user_id: user.id, event: 'x' })).status).toBe(403);
    expect(await standIn.sql("select name from public.skills where user_id = $1 order by name", [user.id])).toEqual([{ name: 'mine' }]);

    // A website session of the same user (not minted from a CLI token) is untouched.
    const site = await fetch(`${standIn.url}/rest/v1/skills?select=name`, { headers: { apikey: standIn.anonKey, authorization: `Bearer ${user.accessToken}` } });
    expect(site.status).toBe(200);
    await ctx.cleanup();
  });
});

describe('identity sequences', () => {
  it('anon and authenticated can neither read, advance nor set any sequence', async () => {
    const user = await standIn.createUser();
    const sequences = (await standIn.sql<{ name: string }>("select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'S' and n.nspname = 'public'")).map((r) => r.name);
    expect(sequences.length).toBeGreaterThan(0);
    for (const seq of sequences) {
      for (const [role, sub] of [['anon', null], ['authenticated', user.id]] as const) {
        for (const sql of [`select nextval('${seq}')`, `select setval('${seq}', 1)`, `select currval('${seq}')`, `select last_value from ${seq}`]) {
          expect(await attempt(role, sub, sql, []), `${role}: ${sql}`).toBe('42501');
        }
      }
    }
    // Inserting through an identity column still works for the user (telemetry is theirs to write; no
    // `returning`: they may not read it back).
    expect(await attempt('authenticated', user.id, "insert into public.telemetry_events (user_id, event) values ($1, 'ok')", [user.id])).toBe(0);
  });
});

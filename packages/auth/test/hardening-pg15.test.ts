import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as cliAuth, type CliAuthDeps } from '../../../supabase/functions/cli-auth/handler.ts';
import { USER_CODE_ALPHABET } from '../../../supabase/functions/_shared/user-code.ts';
import { lintDatabase } from '../src/stand-in/security-lint.js';
import { pg15SkipReason, startPostgres15, type Postgres15 } from './support/postgres15.js';

// Issue 18 on Debian's PostgreSQL 15, a real multi-connection server: the device flow's limits hold under
// parallel bursts, and what the PGlite tests show about revocation, sessions and sequences holds here too.
if (pg15SkipReason) console.warn(`[hardening-pg15.test] skipped: ${pg15SkipReason}`);

let pg: Postgres15;
beforeAll(async () => {
  pg = await startPostgres15({ maxConnections: 40 });
}, 120_000);
afterAll(async () => pg?.stop());

function deps(over: Partial<CliAuthDeps> & { user?: string; address?: string } = {}): CliAuthDeps {
  return {
    db: pg.serviceDb,
    now: () => new Date(),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    verificationUri: 'https://godmode.test/device',
    userFromRequest: async () => over.user ?? null,
    clientAddress: () => over.address ?? '203.0.113.7',
    ...over,
  };
}

const post = (body: unknown, d: CliAuthDeps) =>
  cliAuth(new Request('http://edge/functions/v1/cli-auth', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), d);

function randomCode(): string {
  let s = '';
  for (const b of randomBytes(8)) s += USER_CODE_ALPHABET[b % 20];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

describe.skipIf(pg15SkipReason !== null)('device flow under parallel bursts (PostgreSQL 15)', () => {
  it('200 parallel wrong codes from one user: at most the limit is evaluated, the rest are 429', async () => {
    const user = (await pg.sql<{ id: string }[]>`insert into auth.users (email) values (${`guesser-${randomUUID()}@x.test`}) returning id`)[0]!.id;
    const d = deps({ user: user, maxFailedAttempts: 5 });
    const replies = await Promise.all(Array.from({ length: 200 }, () => post({ action: 'approve', user_code: randomCode() }, d)));
    const statuses = replies.map((r) => r.status);
    const evaluated = statuses.filter((s) => s === 404).length;
    expect(evaluated).toBeLessThanOrEqual(5);
    expect(evaluated).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 404 && s !== 429)).toEqual([]);
    const n = (await pg.sql<{ n: number }[]>`select count(*)::int as n from public.device_code_attempts where user_id = ${user}`)[0]!.n;
    expect(n).toBeLessThanOrEqual(5);
  });

  it('300 parallel starts from one address are rate-limited; another address is not', async () => {
    const d = deps({ address: '198.51.100.23', maxStartsPerAddress: 20 });
    const replies = await Promise.all(Array.from({ length: 300 }, () => post({ action: 'start' }, d)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(280);
    const limited = replies.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: string }).error).toBe('slow_down');
    const n = (await pg.sql<{ n: number }[]>`select count(*)::int as n from public.device_codes`)[0]!.n;
    expect(n).toBeLessThanOrEqual(20);
    expect((await post({ action: 'start' }, deps({ address: '192.0.2.99', maxStartsPerAddress: 20 }))).status).toBe(200);
  });

  it('expired codes are purged', async () => {
    await pg.sql`insert into public.device_codes (device_code_hash, user_code_hash, expires_at, created_at)
      values (${'e'.repeat(64)}, ${'f'.repeat(64)}, now() - interval '2 days', now() - interval '2 days')`;
    expect((await post({ action: 'start' }, deps({ address: '192.0.2.200' }))).status).toBe(200);
    const n = (await pg.sql<{ n: number }[]>`select count(*)::int as n from public.device_codes where expires_at < now() - interval '1 day'`)[0]!.n;
    expect(n).toBe(0);
  });
});

describe.skipIf(pg15SkipReason !== null)('revocation, sessions and sequences (PostgreSQL 15)', () => {
  /** One statement as PostgREST runs it for a role, with JWT claims; the SQLSTATE when refused, else the rows changed. */
  async function as(role: string, claims: Record<string, unknown>, text: string, params: unknown[] = []): Promise<number | string> {
    try {
      const rows = await pg.sql.begin(async (tx) => {
        await tx.unsafe(`set local role ${role}`);
        await tx.unsafe("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
        return tx.unsafe(text, params as never[]);
      });
      return rows.length;
    } catch (error) {
      return (error as { code: string }).code;
    }
  }

  it('the catalog lint is clean', async () => {
    expect(await lintDatabase(async (text, params) => ({ rows: [...(await pg.sql.unsafe(text, (params ?? []) as never[]))] as never[] }))).toEqual([]);
  });

  it('un-revoke is refused for anon and authenticated, allowed for the service; a session of a revoked token is refused', async () => {
    const user = (await pg.sql<{ id: string }[]>`insert into auth.users (email) values (${`r-${randomUUID()}@x.test`}) returning id`)[0]!.id;
    const token = (await pg.sql<{ id: string }[]>`insert into public.cli_tokens (user_id, token_hash, token_prefix) values (${user}, ${'9'.repeat(64)}, 'gmmcp_abc') returning id`)[0]!.id;
    await pg.sql`insert into public.skills (user_id, name, description, content) values (${user}, 'pg15', 'd', 'c')`;
    const session = { sub: user, role: 'authenticated', godmode_token_id: token };
    expect(await as('authenticated', session, 'select name from public.skills')).toBe(1);

    expect(await as('service_role', { role: 'service_role' }, 'update public.cli_tokens set revoked_at = now() where id = $1 returning id', [token])).toBe(1);
    expect(await as('authenticated', session, 'select name from public.skills')).toBe('42501');
    expect(await as('authenticated', session, "insert into public.skills (user_id, name, description, content) values ($1, 'x', 'd', 'c')", [user])).toBe('42501');
    for (const [role, claims] of [['anon', { role: 'anon' }], ['authenticated', { sub: user, role: 'authenticated' }], ['authenticated', session]] as const) {
      const outcome = await as(role, claims, 'update public.cli_tokens set revoked_at = null where id = $1 returning id', [token]);
      expect(outcome === 0 || outcome === '42501', `${role}: ${outcome}`).toBe(true);
    }
    expect((await pg.sql<{ revoked: boolean }[]>`select revoked_at is not null as revoked from public.cli_tokens where id = ${token}`)[0]!.revoked).toBe(true);
    // A website session of the same user is not tied to the token.
    expect(await as('authenticated', { sub: user, role: 'authenticated' }, 'select name from public.skills')).toBe(1);
    expect(await as('service_role', { role: 'service_role' }, 'update public.cli_tokens set revoked_at = null where id = $1 returning id', [token])).toBe(1);
  });

  it('anon and authenticated cannot touch any sequence', async () => {
    const sequences = (await pg.sql<{ name: string }[]>`select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'S' and n.nspname = 'public'`).map((r) => r.name);
    expect(sequences.length).toBeGreaterThan(0);
    for (const seq of sequences) {
      for (const role of ['anon', 'authenticated']) {
        for (const text of [`select nextval('${seq}')`, `select setval('${seq}', 1)`, `select last_value from ${seq}`]) expect(await as(role, { role }, text), `${role} ${text}`).toBe('42501');
      }
    }
  });
});

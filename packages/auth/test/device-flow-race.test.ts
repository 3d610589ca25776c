import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as cliAuth, type CliAuthDeps } from '../../../supabase/functions/cli-auth/handler.ts';
import { USER_CODE_ALPHABET } from '../../../supabase/functions/_shared/user-code.ts';
import { pg15SkipReason, startPostgres15, type Postgres15 } from './support/postgres15.js';

// Issue 18: the device flow's limits hold under parallel bursts on a real multi-connection server.
if (pg15SkipReason) console.warn(`[device-flow-race.test] skipped: ${pg15SkipReason}`);

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

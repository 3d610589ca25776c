import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  DeviceCodeExpiredError,
  NotLoggedInError,
  TokenRejectedError,
  login,
  logout,
  whoami,
  type DeviceCode,
} from '../src/index.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';
import { accountFor } from './helpers.js';

// The real supabase-js client → the stand-in's HTTP surface → the real handlers → real SQL and RLS.
let standIn: SupabaseStandIn;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
});
afterAll(async () => standIn?.close());

describe('device-code login end to end', () => {
  it('pending → slow_down honoured → approved → 0600 file → whoami → logout revokes → whoami fails clearly', async () => {
    const { account, warnings, cleanup } = await accountFor(standIn);
    const user = await standIn.createUser('dev@example.test');
    let code: DeviceCode | undefined;
    const sleeps: number[] = [];
    const polls: string[] = [];
    try {
      const result = await login(account, {
        onCode: (c) => {
          code = c;
        },
        onPoll: (state) => polls.push(state),
        // The stand-in's clock stands in for waiting. The first wake-up comes 2 s early (a laptop
        // resuming, a skewed timer): the server must answer slow_down, and the client must then wait 5 s more.
        sleep: async (ms) => {
          sleeps.push(ms);
          standIn.advance(sleeps.length === 2 ? ms - 2000 : ms);
          if (sleeps.length === 4) expect((await standIn.approve(code!.userCode, user.id)).status).toBe(200);
        },
      });
      expect(code!.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      expect(code!.verificationUriComplete).toBe(`${code!.verificationUri}?code=${code!.userCode}`);
      expect(polls).toEqual(['authorization_pending', 'slow_down', 'authorization_pending']);
      expect(sleeps).toEqual([5000, 5000, 10_000, 10_000]);
      expect(result.storedIn).toBe('file');
      expect(warnings).toEqual([]);

      const file = account.tokens.file;
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
      const stored = (await account.tokens.read())!;
      expect(stored.token).toMatch(/^gmmcp_[A-Za-z0-9_-]{43}$/);
      // Only the hash is in the database.
      const tokens = await standIn.sql<{ token_hash: string; token_prefix: string }>('select token_hash, token_prefix from public.cli_tokens where user_id = $1', [user.id]);
      expect(tokens).toHaveLength(1);
      expect(JSON.stringify(await standIn.sql('select * from public.cli_tokens'))).not.toContain(stored.token);
      expect(stored.token.startsWith(tokens[0]!.token_prefix)).toBe(true);

      const me = await whoami(account);
      expect(me).toMatchObject({ userId: user.id, email: 'dev@example.test', token: { prefix: tokens[0]!.token_prefix, source: 'file' } });
      expect(me.token!.lastUsedAt).not.toBeNull();

      const stolenCopy = stored.token;
      expect(await logout(account)).toEqual({ wasLoggedIn: true, revoked: true, source: 'file' });
      await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(whoami(account)).rejects.toSatisfy((e) => NotLoggedInError.isInstance(e) && /not logged in/.test((e as Error).message));
      // A copy of the token made before logout is dead server-side, not just forgotten locally.
      const withCopy = await accountFor(standIn, { GODMODE_TOKEN: stolenCopy });
      await expect(whoami(withCopy.account)).rejects.toSatisfy(
        (e) => TokenRejectedError.isInstance(e) && (e as TokenRejectedError).code === 'AUTH_TOKEN_REJECTED' && /revoked or has expired/.test((e as Error).message),
      );
      await withCopy.cleanup();
    } finally {
      await cleanup();
    }
  });

  it('an expired code gives its own clear error', async () => {
    const { account, cleanup } = await accountFor(standIn);
    try {
      const error = await login(account, { onCode: () => {}, sleep: async (ms) => standIn.advance(Math.max(ms, 301_000)) }).catch((e: unknown) => e);
      expect(DeviceCodeExpiredError.isInstance(error)).toBe(true);
      expect((error as DeviceCodeExpiredError).code).toBe('AUTH_CODE_EXPIRED');
      expect((error as Error).message).toMatch(/expired before it was approved/);
      expect(await account.tokens.read()).toBeNull();
    } finally {
      await cleanup();
    }
  });

  it('a denied code gives its own clear error', async () => {
    const { account, cleanup } = await accountFor(standIn);
    const user = await standIn.createUser();
    try {
      const error = await login(account, {
        onCode: async (c) => {
          expect((await standIn.deny(c.userCode, user.id)).status).toBe(200);
        },
        sleep: async (ms) => standIn.advance(ms),
      }).catch((e: unknown) => e);
      expect(AccessDeniedError.isInstance(error)).toBe(true);
      expect((error as AccessDeniedError).code).toBe('AUTH_ACCESS_DENIED');
      expect((error as Error).message).toMatch(/declined/);
      expect(await account.tokens.read()).toBeNull();
    } finally {
      await cleanup();
    }
  });

  it('guessed user codes are rate-limited per user, and even the right code is refused once limited', async () => {
    const guesser = await standIn.createUser();
    const { account, cleanup } = await accountFor(standIn);
    let real = '';
    const pending = login(account, {
      onCode: (c) => {
        real = c.userCode;
      },
      sleep: async () => {
        await new Promise((r) => setTimeout(r, 20));
        standIn.advance(5000);
      },
      signal: AbortSignal.timeout(20_000),
    }).catch((e: unknown) => e);
    while (!real) await new Promise((r) => setTimeout(r, 10));
    const statuses: number[] = [];
    for (const guess of ['BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD', 'FFFF-FFFF', 'not a code', 'GGGG-GGGG']) statuses.push((await standIn.approve(guess, guesser.id)).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    const right = await standIn.approve(real, guesser.id);
    expect(right.status).toBe(429);
    expect(right.body['error']).toBe('too_many_attempts');
    // Another user is not affected, and the pairing still completes.
    const owner = await standIn.createUser();
    expect((await standIn.approve(real, owner.id)).status).toBe(200);
    expect(await pending).toMatchObject({ storedIn: 'file' });
    await cleanup();
  });

  it('a device code is consumed once: polling again after success is invalid_grant', async () => {
    const user = await standIn.createUser();
    const start = await fetch(`${standIn.url}/functions/v1/cli-auth`, { method: 'POST', headers: { apikey: standIn.anonKey, 'content-type': 'application/json' }, body: '{"action":"start"}' });
    const s = (await start.json()) as { device_code: string; user_code: string };
    await standIn.approve(s.user_code.toLowerCase(), user.id); // typed in lowercase: still accepted
    const poll = async () => {
      standIn.advance(6000);
      const r = await fetch(`${standIn.url}/functions/v1/cli-auth`, { method: 'POST', headers: { apikey: standIn.anonKey, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'poll', device_code: s.device_code }) });
      return [r.status, ((await r.json()) as { error?: string }).error ?? 'token'];
    };
    expect(await poll()).toEqual([200, 'token']);
    expect(await poll()).toEqual([400, 'invalid_grant']);
    const stored = await standIn.sql<{ device_code_hash: string }>('select device_code_hash from public.device_codes');
    expect(JSON.stringify(stored)).not.toContain(s.device_code);
  });
});

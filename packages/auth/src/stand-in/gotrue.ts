import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { signJwt } from '../../../../supabase/functions/_shared/jwt.ts';
import { verifyJwt } from './jwt.js';

/**
 * The slice of Supabase Auth (GoTrue) that supabase-js calls for an email one-time-code sign-in, speaking
 * GoTrue's protocol (paths, bodies, session shape, `{ code, message }` errors under API version 2024-01-01):
 * - `GET  /auth/v1/settings`                          which sign-in methods are on (email only here)
 * - `POST /auth/v1/otp`     `{ email, create_user }`  "sends" a 6-digit code: it lands in `emails()`
 * - `POST /auth/v1/verify`  `{ email, token, type }`  code → session (HS256 JWT signed with the stand-in's
 *                                                     secret, role `authenticated`) + rotating refresh token
 * - `GET  /auth/v1/user`                              the session's user
 * - `POST /auth/v1/token?grant_type=refresh_token`    a new session for an unused refresh token
 * - `POST /auth/v1/logout`                            the session's refresh tokens stop working
 * Codes live 1 hour, work once, and a new one may be requested every 60 s per address (GoTrue's defaults).
 * No OAuth providers, phone, MFA or passwords: it is a test stand-in, not GoTrue.
 */
export interface SentEmail {
  to: string;
  subject: string;
  /** The one-time code in it. */
  code: string;
  sentAt: Date;
}

export interface GoTrueReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface GoTrueOptions {
  db: PGlite;
  jwtSecret: string;
  anonKey: string;
  now(): Date;
}

const OTP_SECONDS = 3600;
const RESEND_SECONDS = 60;
const SESSION_SECONDS = 3600;

export function createGoTrue(options: GoTrueOptions) {
  const { db, jwtSecret, anonKey, now } = options;
  const sent: SentEmail[] = [];
  const codes = new Map<string, { hash: string; expiresAt: number }>();
  const refreshTokens = new Map<string, { userId: string; sessionId: string; used: boolean }>();
  const seconds = () => Math.floor(now().getTime() / 1000);
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');

  const reply = (status: number, value: unknown): GoTrueReply => ({
    status,
    headers: { 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01', ...cors },
    body: value === null ? '' : JSON.stringify(value),
  });
  const fail = (status: number, code: string, message: string) => reply(status, { code, message });

  async function userById(id: string) {
    const { rows } = await db.query<{ id: string; email: string | null; created_at: Date }>('select id, email, created_at from auth.users where id = $1', [id]);
    return rows[0] ?? null;
  }

  function userJson(user: { id: string; email: string | null; created_at: Date }) {
    const created = new Date(user.created_at).toISOString();
    return {
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      email_confirmed_at: created,
      phone: '',
      confirmed_at: created,
      last_sign_in_at: now().toISOString(),
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: {},
      identities: [],
      created_at: created,
      updated_at: now().toISOString(),
      is_anonymous: false,
    };
  }

  async function session(user: { id: string; email: string | null; created_at: Date }, sessionId: string = randomUUID()) {
    const iat = seconds();
    const accessToken = await signJwt(
      { sub: user.id, aud: 'authenticated', role: 'authenticated', email: user.email, iat, exp: iat + SESSION_SECONDS, session_id: sessionId, aal: 'aal1', amr: [{ method: 'otp', timestamp: iat }], is_anonymous: false },
      jwtSecret,
    );
    const refreshToken = randomBytes(12).toString('base64url');
    refreshTokens.set(refreshToken, { userId: user.id, sessionId, used: false });
    return { access_token: accessToken, token_type: 'bearer', expires_in: SESSION_SECONDS, expires_at: iat + SESSION_SECONDS, refresh_token: refreshToken, user: userJson(user) };
  }

  function claimsOf(authorization: string | undefined): Record<string, unknown> | null {
    const token = (authorization ?? '').replace(/^Bearer\s+/i, '');
    const claims = token ? verifyJwt(token, jwtSecret, seconds()) : null;
    return claims && claims['role'] === 'authenticated' && typeof claims['sub'] === 'string' ? claims : null;
  }

  async function handle(method: string, path: string, query: URLSearchParams, headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<GoTrueReply> {
    if (method === 'OPTIONS') return { status: 204, headers: cors, body: '' };
    if ((headers['apikey'] ?? query.get('apikey')) !== anonKey) return fail(401, 'no_api_key', 'No API key found in request, or it is not this project\'s.');
    let body: Record<string, unknown> = {};
    try {
      body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
    } catch {
      return fail(400, 'bad_json', 'Could not parse request body as JSON');
    }
    const authorization = headers['authorization'] as string | undefined;
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /settings':
        return reply(200, { external: { email: true, phone: false, anonymous_users: false, github: false, google: false }, disable_signup: false, mailer_autoconfirm: false, phone_autoconfirm: false, sms_provider: '', saml_enabled: false });
      case 'POST /otp': {
        const email = typeof body['email'] === 'string' ? body['email'].trim().toLowerCase() : '';
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return fail(400, 'validation_failed', 'Unable to validate email address: invalid format');
        const last = [...sent].reverse().find((m) => m.to === email);
        const wait = last ? RESEND_SECONDS - Math.floor((now().getTime() - last.sentAt.getTime()) / 1000) : 0;
        if (wait > 0) return fail(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${wait} seconds.`);
        let { rows } = await db.query<{ id: string }>('select id from auth.users where email = $1', [email]);
        if (rows.length === 0) {
          if (body['create_user'] === false) return fail(422, 'otp_disabled', 'Signups not allowed for otp');
          ({ rows } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]));
        }
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        codes.set(email, { hash: hash(code), expiresAt: now().getTime() + OTP_SECONDS * 1000 });
        sent.push({ to: email, subject: 'Your sign-in code', code, sentAt: now() });
        return reply(200, {});
      }
      case 'POST /verify': {
        const email = typeof body['email'] === 'string' ? body['email'].trim().toLowerCase() : '';
        const token = typeof body['token'] === 'string' ? body['token'].trim() : '';
        if (!['email', 'magiclink', 'signup'].includes(String(body['type']))) return fail(400, 'validation_failed', 'Verify requires a verification type of email, magiclink or signup here');
        const open = codes.get(email);
        if (!open || open.expiresAt <= now().getTime() || open.hash !== hash(token)) return fail(403, 'otp_expired', 'Token has expired or is invalid');
        codes.delete(email);
        const { rows } = await db.query<{ id: string; email: string; created_at: Date }>('select id, email, created_at from auth.users where email = $1', [email]);
        if (!rows[0]) return fail(403, 'otp_expired', 'Token has expired or is invalid');
        return reply(200, await session(rows[0]));
      }
      case 'GET /user': {
        const claims = claimsOf(authorization);
        if (!claims) return fail(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token is expired or invalid');
        const user = await userById(String(claims['sub']));
        return user ? reply(200, userJson(user)) : fail(403, 'user_not_found', 'User from sub claim in JWT does not exist');
      }
      case 'POST /token': {
        if (query.get('grant_type') !== 'refresh_token') return fail(400, 'validation_failed', 'unsupported_grant_type');
        const entry = refreshTokens.get(String(body['refresh_token'] ?? ''));
        if (!entry || entry.used) return fail(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        entry.used = true;
        const user = await userById(entry.userId);
        return user ? reply(200, await session(user, entry.sessionId)) : fail(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      }
      case 'POST /logout': {
        const claims = claimsOf(authorization);
        if (!claims) return fail(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token is expired or invalid');
        for (const entry of refreshTokens.values()) if (entry.sessionId === claims['session_id']) entry.used = true;
        return { status: 204, headers: cors, body: '' };
      }
      default:
        return fail(404, 'not_found', `${method} /auth/v1${path} is not part of the stand-in's Auth (see @godmode/auth README)`);
    }
  }

  return { handle, emails: () => sent.slice() };
}

const cors: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type, x-supabase-api-version',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
};

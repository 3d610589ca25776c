/**
 * Device authorization (RFC 8628) for the godmode CLI. One POST endpoint, `action` in the JSON body:
 * - `start`   (CLI)     → device_code, user_code, verification_uri(_complete), expires_in, interval;
 *                         429 slow_down (with retry-after) past `maxStartsPerAddress` starts per client
 *                         address in `startWindowSeconds`; each start also purges long-expired pairings
 * - `poll`    (CLI)     → 400 authorization_pending | slow_down | access_denied | expired_token | invalid_grant,
 *                         or 200 with an opaque `gmmcp_…` access token (only its hash is stored)
 * - `approve` / `deny` (website, signed-in user) → the user code's decision; failed guesses are limited per
 *                         user atomically in the database (public.decide_device_code), so a parallel burst
 *                         is evaluated at most `maxFailedAttempts` times
 * - `revoke`  (CLI, Bearer gmmcp_…) → the token stops working
 */
import type { HandlerDeps } from '../_shared/deps.ts';
import { base64url, bearer, corsHeaders, json, readJson, sha256Hex } from '../_shared/http.ts';
import { displayPrefix, mintToken } from '../_shared/cli-token.ts';
import { makeUserCode, normalizeUserCode } from '../_shared/user-code.ts';

export interface CliAuthDeps extends HandlerDeps {
  /** The website page where a signed-in user enters the code. */
  verificationUri: string;
  /** The signed-in website user making this request (their Supabase session), or null. */
  userFromRequest(req: Request): Promise<string | null>;
  /** Seconds; RFC 8628 suggests 5. */
  interval?: number;
  /** Seconds a pairing stays open. */
  expiresIn?: number;
  /** Failed user-code entries a user may make per window before 429. */
  maxFailedAttempts?: number;
  attemptWindowSeconds?: number;
  /** Days a minted CLI token lives. */
  tokenDays?: number;
  /**
   * The requesting client's network address, for the per-address `start` limit; null when unknown (all
   * unknown clients then share one limit). Under Supabase: the gateway's `x-forwarded-for`.
   */
  clientAddress?(req: Request): string | null;
  /** Starts one address may make per window before 429 (default 30 per 900 s). */
  maxStartsPerAddress?: number;
  startWindowSeconds?: number;
}

const SLOW_DOWN_STEP = 5;

export async function handler(req: Request, deps: CliAuthDeps): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
  if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
  const body = await readJson(req);
  if (!body || Array.isArray(body)) return json(400, { error: 'invalid_request', error_description: 'The body must be a JSON object.' });
  switch (body['action']) {
    case 'start':
      return start(req, body, deps);
    case 'poll':
      return poll(body, deps);
    case 'approve':
    case 'deny':
      return decide(req, body, body['action'], deps);
    case 'revoke':
      return revoke(req, deps);
    default:
      return json(400, { error: 'invalid_request', error_description: 'action must be start, poll, approve, deny or revoke.' });
  }
}

async function start(req: Request, body: Record<string, unknown>, deps: CliAuthDeps): Promise<Response> {
  const interval = deps.interval ?? 5;
  const expiresIn = deps.expiresIn ?? 900;
  const clientName = typeof body['client_name'] === 'string' ? body['client_name'].slice(0, 200) : null;
  const now = deps.now();
  const address = deps.clientAddress?.(req) ?? 'unknown';
  const { rows: taken } = await deps.db.query<{ allowed: boolean; retry_after: number }>(
    'select allowed, retry_after from public.take_device_start($1, $2, $3, $4)',
    [await sha256Hex(`start:${address}`), now.toISOString(), deps.startWindowSeconds ?? 900, deps.maxStartsPerAddress ?? 30],
  );
  if (!taken[0]?.allowed) {
    const retryAfter = String(taken[0]?.retry_after ?? deps.startWindowSeconds ?? 900);
    return json(429, { error: 'slow_down', error_description: 'Too many logins started from this address; wait and try again.' }, { 'retry-after': retryAfter });
  }
  await deps.db.query('select public.purge_device_flow($1)', [now.toISOString()]);
  const deviceCode = base64url(deps.randomBytes(32));
  for (let attempt = 0; attempt < 5; attempt++) {
    const userCode = makeUserCode(deps.randomBytes);
    try {
      await deps.db.query(
        `insert into public.device_codes (device_code_hash, user_code_hash, client_name, interval_seconds, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6)`,
        [await sha256Hex(deviceCode), await sha256Hex(userCode.replace('-', '')), clientName, interval, now.toISOString(), new Date(now.getTime() + expiresIn * 1000).toISOString()],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') continue; // user code collision: draw again
      throw error;
    }
    return json(200, {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: deps.verificationUri,
      verification_uri_complete: `${deps.verificationUri}?code=${encodeURIComponent(userCode)}`,
      expires_in: expiresIn,
      interval,
    });
  }
  return json(503, { error: 'temporarily_unavailable' });
}

interface DeviceRow {
  id: string;
  state: 'pending' | 'approved' | 'denied' | 'consumed';
  user_id: string | null;
  interval_seconds: number;
  last_polled_at: string | Date | null;
  expires_at: string | Date;
}

async function poll(body: Record<string, unknown>, deps: CliAuthDeps): Promise<Response> {
  const deviceCode = body['device_code'];
  if (typeof deviceCode !== 'string' || deviceCode.length === 0) return json(400, { error: 'invalid_request', error_description: 'device_code is required.' });
  const now = deps.now();
  const { rows } = await deps.db.query<DeviceRow>(
    'select id, state, user_id, interval_seconds, last_polled_at, expires_at from public.device_codes where device_code_hash = $1',
    [await sha256Hex(deviceCode)],
  );
  const row = rows[0];
  if (!row || row.state === 'consumed') return json(400, { error: 'invalid_grant', error_description: 'Unknown or already used device code.' });
  if (new Date(row.expires_at).getTime() <= now.getTime()) return json(400, { error: 'expired_token' });
  const last = row.last_polled_at === null ? null : new Date(row.last_polled_at).getTime();
  if (last !== null && now.getTime() - last < row.interval_seconds * 1000) {
    const interval = row.interval_seconds + SLOW_DOWN_STEP;
    await deps.db.query(
      'update public.device_codes set interval_seconds = $2, last_polled_at = $3, poll_attempts = poll_attempts + 1 where id = $1',
      [row.id, Math.min(interval, 600), now.toISOString()],
    );
    return json(400, { error: 'slow_down', interval });
  }
  await deps.db.query('update public.device_codes set last_polled_at = $2, poll_attempts = poll_attempts + 1 where id = $1', [row.id, now.toISOString()]);
  if (row.state === 'denied') return json(400, { error: 'access_denied' });
  if (row.state === 'pending') return json(400, { error: 'authorization_pending' });
  // Approved: consume exactly once, even when two polls race.
  const consumed = await deps.db.query<{ user_id: string }>(
    "update public.device_codes set state = 'consumed' where id = $1 and state = 'approved' returning user_id",
    [row.id],
  );
  const userId = consumed.rows[0]?.user_id;
  if (!userId) return json(400, { error: 'invalid_grant', error_description: 'Unknown or already used device code.' });
  const token = mintToken(deps.randomBytes);
  const days = deps.tokenDays ?? 90;
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  await deps.db.query(
    'insert into public.cli_tokens (user_id, token_hash, token_prefix, name, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)',
    [userId, await sha256Hex(token), displayPrefix(token), 'godmode CLI', now.toISOString(), expiresAt.toISOString()],
  );
  return json(200, { access_token: token, token_type: 'bearer', expires_in: days * 86_400 });
}

async function decide(req: Request, body: Record<string, unknown>, action: 'approve' | 'deny', deps: CliAuthDeps): Promise<Response> {
  const userId = await deps.userFromRequest(req);
  if (!userId) return json(401, { error: 'unauthorized', error_description: 'Sign in on the website first.' });
  const now = deps.now();
  const window = deps.attemptWindowSeconds ?? 900;
  const code = typeof body['user_code'] === 'string' ? normalizeUserCode(body['user_code']) : null;
  const { rows } = await deps.db.query<{ outcome: 'limited' | 'unknown' | 'decided' }>(
    'select public.decide_device_code($1, $2, $3, $4, $5, $6) as outcome',
    [userId, code ? await sha256Hex(code) : null, action === 'approve' ? 'approved' : 'denied', now.toISOString(), window, deps.maxFailedAttempts ?? 5],
  );
  const outcome = rows[0]?.outcome;
  if (outcome === 'limited') {
    return json(429, { error: 'too_many_attempts', error_description: 'Too many wrong codes; wait a few minutes.' }, { 'retry-after': String(window) });
  }
  if (outcome !== 'decided') return json(404, { error: 'invalid_user_code', error_description: 'No open pairing has this code.' });
  return json(200, { status: action === 'approve' ? 'approved' : 'denied' });
}

async function revoke(req: Request, deps: CliAuthDeps): Promise<Response> {
  const token = bearer(req);
  if (!token) return json(401, { error: 'invalid_token' });
  const { rows } = await deps.db.query<{ id: string }>(
    'update public.cli_tokens set revoked_at = $2 where token_hash = $1 and revoked_at is null returning id',
    [await sha256Hex(token), deps.now().toISOString()],
  );
  return json(200, { revoked: rows.length > 0 });
}

/**
 * The device page: where a signed-in user confirms the code `godmode login` shows and approves or denies it.
 * One function serves it all, matched on the end of the path so it works wherever it is mounted
 * (`/functions/v1/device` on Supabase, `/device` behind a proxy or on the stand-in):
 * - `GET …/device`          the page (HTML, no inline script or style)
 * - `GET …/device/app.js`   its script: supabase-js and the page logic, bundled at build time (no CDN)
 * - `GET …/device/app.css`  its style sheet
 * - `GET …/device/service.json` `{ supabase_url, supabase_key }`: what `godmode login --service <url>` writes
 *                           into the CLI's config (the publishable key is public; the page carries it too)
 * - `POST …/device/lookup`  `{ user_code }` with the user's session → the requesting device's name, platform,
 *                           time and the code's state; misses count against the device flow's limit
 * Approve and deny are not here: the page calls `cli-auth` (`approve`/`deny`) with the user's session.
 * Every answer carries a strict Content-Security-Policy (scripts and styles from this origin only, no inline
 * code, `frame-ancestors 'none'`) and `X-Frame-Options: DENY`; the page never sends its URL (which holds the
 * code) as a referrer.
 */
import type { HandlerDeps } from '../_shared/deps.ts';
import { readJson, sha256Hex } from '../_shared/http.ts';
import { normalizeUserCode } from '../_shared/user-code.ts';
import { appCss, appJs, appJsIntegrity, pageHtml } from './assets.generated.ts';
import { parseClientName } from './client-name.ts';

export interface DeviceDeps extends HandlerDeps {
  /** The project URL the page's supabase-js talks to (Auth and `cli-auth`). */
  supabaseUrl: string;
  /** The project's publishable (anon) key: public by design. */
  supabaseKey: string;
  /** The signed-in website user making this request (their Supabase session), or null. */
  userFromRequest(req: Request): Promise<string | null>;
  /** Failed code look-ups per user per window before 429; the same budget as `cli-auth`'s approve/deny. */
  maxFailedAttempts?: number;
  attemptWindowSeconds?: number;
}

/** What the page is told about a code. `used`: decided by someone else; `expired`: never decided in time. */
export type CodeState = 'pending' | 'approved' | 'denied' | 'used' | 'expired';

export async function handler(req: Request, deps: DeviceDeps): Promise<Response> {
  const reply = replyFor(deps.supabaseUrl);
  const path = new URL(req.url).pathname.replace(/\/+$/, '');
  const read = req.method === 'GET' || req.method === 'HEAD';
  if (path.endsWith('/lookup')) {
    if (req.method !== 'POST') return reply(405, 'application/json', '{"error":"method_not_allowed"}', { allow: 'POST' });
    return lookup(req, deps, reply);
  }
  if (!read) return reply(405, 'application/json', '{"error":"method_not_allowed"}', { allow: 'GET, HEAD' });
  const body = (text: string) => (req.method === 'HEAD' ? null : text);
  if (path.endsWith('/app.js')) return reply(200, 'text/javascript; charset=utf-8', body(appJs), { 'cache-control': 'no-cache' });
  if (path.endsWith('/service.json')) {
    const service = JSON.stringify({ supabase_url: deps.supabaseUrl.replace(/\/+$/, ''), supabase_key: deps.supabaseKey });
    return reply(200, 'application/json', body(service), { 'cache-control': 'no-cache' });
  }
  if (path.endsWith('/app.css')) return reply(200, 'text/css; charset=utf-8', body(appCss), { 'cache-control': 'no-cache' });
  return reply(200, 'text/html; charset=utf-8', body(renderPage(deps)), { 'cache-control': 'no-store' });
}

/** The page with its configuration in `<meta>` tags (data, not code: the CSP allows no inline script). */
export function renderPage(deps: Pick<DeviceDeps, 'supabaseUrl' | 'supabaseKey'>): string {
  return pageHtml
    .replace('%SUPABASE_URL%', escapeAttribute(deps.supabaseUrl.replace(/\/+$/, '')))
    .replace('%SUPABASE_KEY%', escapeAttribute(deps.supabaseKey))
    .replace('%APP_JS_INTEGRITY%', appJsIntegrity);
}

/** The headers every answer carries. `connect-src` names the project so a proxied page can still reach it. */
export function securityHeaders(supabaseUrl: string): Record<string, string> {
  let project = '';
  try {
    project = ` ${new URL(supabaseUrl).origin}`;
  } catch {
    // not a URL: 'self' only
  }
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      `connect-src 'self'${project}`,
      "form-action 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

type Reply = (status: number, type: string, body: string | null, extra?: Record<string, string>) => Response;
function replyFor(supabaseUrl: string): Reply {
  const headers = securityHeaders(supabaseUrl);
  return (status, type, body, extra = {}) => new Response(body, { status, headers: { 'content-type': type, ...headers, ...extra } });
}

interface CodeRow {
  state: 'pending' | 'approved' | 'denied' | 'consumed';
  user_id: string | null;
  client_name: string | null;
  created_at: string | Date;
  expires_at: string | Date;
}

async function lookup(req: Request, deps: DeviceDeps, reply: Reply): Promise<Response> {
  const json = (status: number, value: unknown, extra: Record<string, string> = {}) =>
    reply(status, 'application/json', JSON.stringify(value), { 'cache-control': 'no-store', ...extra });
  const userId = await deps.userFromRequest(req);
  if (!userId) return json(401, { error: 'unauthorized', error_description: 'Sign in first.' });
  const now = deps.now();
  const window = deps.attemptWindowSeconds ?? 900;
  // The wrong-code budget is cli-auth's (public.device_code_attempts, per user per window). The attempt is
  // recorded before the count, so of a parallel burst only the first `max` see a count within the budget;
  // it is taken back when the code exists or the budget was already spent.
  const { rows: mine } = await deps.db.query<{ id: number | string }>(
    'insert into public.device_code_attempts (user_id, attempted_at) values ($1, $2) returning id',
    [userId, now.toISOString()],
  );
  const attempt = mine[0]!.id;
  const takeBack = () => deps.db.query('delete from public.device_code_attempts where id = $1', [attempt]);
  const { rows: counted } = await deps.db.query<{ n: number | string }>(
    'select count(*)::int as n from public.device_code_attempts where user_id = $1 and attempted_at > $2',
    [userId, new Date(now.getTime() - window * 1000).toISOString()],
  );
  if (Number(counted[0]?.n ?? 0) > (deps.maxFailedAttempts ?? 5)) {
    await takeBack();
    return json(429, { error: 'too_many_attempts', error_description: 'Too many wrong codes; wait a few minutes.' }, { 'retry-after': String(window) });
  }
  const body = await readJson(req);
  const code = normalizeUserCode(body && !Array.isArray(body) && typeof body['user_code'] === 'string' ? body['user_code'] : '');
  const { rows } = code
    ? await deps.db.query<CodeRow>('select state, user_id, client_name, created_at, expires_at from public.device_codes where user_code_hash = $1', [await sha256Hex(code)])
    : { rows: [] as CodeRow[] };
  const row = rows[0];
  if (!row || !code) return json(404, { error: 'invalid_user_code', error_description: 'No login is waiting for this code.' });
  await takeBack();
  const state = stateFor(row, userId, now);
  return json(200, {
    user_code: `${code.slice(0, 4)}-${code.slice(4)}`,
    state,
    // Someone else's decided code: its state only, not what device it was.
    device: row.user_id === null || row.user_id === userId ? parseClientName(row.client_name) : null,
    requested_at: new Date(row.created_at).toISOString(),
    expires_at: new Date(row.expires_at).toISOString(),
  });
}

/** The rule, in one place: a pending code past its expiry is expired; a decision by someone else is `used`. */
export function stateFor(row: Pick<CodeRow, 'state' | 'user_id' | 'expires_at'>, userId: string, now: Date): CodeState {
  if (row.state === 'pending') return new Date(row.expires_at).getTime() <= now.getTime() ? 'expired' : 'pending';
  if (row.user_id !== userId) return 'used';
  return row.state === 'denied' ? 'denied' : 'approved';
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

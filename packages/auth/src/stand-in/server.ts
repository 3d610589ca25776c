import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { handler as cliAuth } from '../../../../supabase/functions/cli-auth/handler.ts';
import { handler as devicePage } from '../../../../supabase/functions/device/handler.ts';
import { handler as mcpActions } from '../../../../supabase/functions/mcp-actions/handler.ts';
import { signJwt } from '../../../../supabase/functions/_shared/jwt.ts';
import { createSupabaseDatabase, serviceDb, type ApiRole } from './database.js';
import { createGoTrue, type SentEmail } from './gotrue.js';
import { verifyJwt } from './jwt.js';
import { handleRest } from './postgrest.js';
import { sendWebResponse, toWebRequest } from './web.js';

/**
 * A LOCAL STAND-IN for a hosted Supabase project — not Supabase. It serves, on 127.0.0.1, the HTTP
 * surface @godmode/auth uses: `/functions/v1/cli-auth` and `/functions/v1/mcp-actions` running the
 * real edge-function handlers from /supabase/functions, and the PostgREST subset of `/rest/v1/<table>`,
 * all over the real migrations in PGlite (real Postgres, real RLS). Its clock can be advanced so the
 * device flow's intervals and expiry are testable without waiting. For a browser it also serves the device
 * page (`/functions/v1/device`, and `/device`) and the Supabase Auth endpoints supabase-js uses for an email
 * one-time-code sign-in (`/auth/v1/otp`, `/verify`, `/user`, `/token`, `/logout`, `/settings`: gotrue.ts),
 * with the "emails" readable through `emails()`.
 */
export interface StandInOptions {
  /** Device-flow poll interval in seconds (RFC default 5). */
  interval?: number;
  /** Seconds a device code stays open (default 900). */
  expiresIn?: number;
  maxFailedAttempts?: number;
  /** Device-flow starts one client address may make per window (default 30 per 900 s). */
  maxStartsPerAddress?: number;
  verificationUri?: string;
}

export interface StandInUser {
  id: string;
  email: string;
  /** A website session JWT for this user (role authenticated). */
  accessToken: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SupabaseStandIn {
  /** Project URL, as `GODMODE_SUPABASE_URL`. */
  url: string;
  /** `${url}/functions/v1`, for `mcpConfigFor`. */
  functionsUrl: string;
  /** Publishable key, as `GODMODE_SUPABASE_KEY`. */
  anonKey: string;
  createUser(email?: string): Promise<StandInUser>;
  /** What the website does when a signed-in user confirms a code. */
  approve(userCode: string, userId: string): Promise<{ status: number; body: Record<string, unknown> }>;
  deny(userCode: string, userId: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Superuser SQL on the stand-in's database (for assertions and fixtures). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Moves the stand-in's clock forward (device-code intervals, expiry, token expiry). */
  advance(ms: number): void;
  now(): Date;
  /** Every request received, with its body, in order. */
  requests(): RecordedRequest[];
  /** What the stand-in's Auth "emailed" (sign-in codes from `/auth/v1/otp`), oldest first. */
  emails(): SentEmail[];
  db: PGlite;
  close(): Promise<void>;
}

export async function startSupabaseStandIn(options: StandInOptions = {}): Promise<SupabaseStandIn> {
  const db = await createSupabaseDatabase();
  const jwtSecret = randomBytes(32).toString('hex');
  const anonKey = `sb_publishable_standin_${randomBytes(12).toString('base64url')}`;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const recorded: RecordedRequest[] = [];
  const base = {
    db: serviceDb(db),
    now,
    randomBytes: (n: number) => new Uint8Array(randomBytes(n)),
  };
  const claimsOf = (authorization: string | null): Record<string, unknown> | null => {
    const token = (authorization ?? '').replace(/^Bearer\s+/i, '');
    if (!token || token === anonKey) return { role: 'anon' };
    return verifyJwt(token, jwtSecret, Math.floor(now().getTime() / 1000));
  };
  let url = '';
  // The client address is the socket's, as the gateway sees it: a header the client sends is not trusted.
  const cliAuthDeps = (address: string | null = null) => ({
    ...base,
    verificationUri: options.verificationUri ?? `${url}/device`,
    interval: options.interval,
    expiresIn: options.expiresIn,
    maxFailedAttempts: options.maxFailedAttempts,
    maxStartsPerAddress: options.maxStartsPerAddress,
    clientAddress: () => address,
    async userFromRequest(req: Request) {
      const claims = claimsOf(req.headers.get('authorization'));
      return claims && claims['role'] === 'authenticated' && typeof claims['sub'] === 'string' ? claims['sub'] : null;
    },
  });
  const mcpDeps = { ...base, jwtSecret };
  // The device page (functions/device) and the Supabase Auth endpoints its supabase-js signs in with.
  const gotrue = createGoTrue({ db, jwtSecret, anonKey, now });
  const deviceDeps = () => ({ ...base, supabaseUrl: url, supabaseKey: anonKey, maxFailedAttempts: options.maxFailedAttempts, userFromRequest: cliAuthDeps().userFromRequest });

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: (error as Error).message }));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const target = new URL(req.url ?? '/', url);
    recorded.push({ method: req.method ?? 'GET', path: target.pathname + target.search, headers: { ...req.headers }, body });

    if (target.pathname.startsWith('/auth/v1/')) {
      const out = await gotrue.handle(req.method ?? 'GET', target.pathname.slice('/auth/v1'.length), target.searchParams, req.headers, body);
      return send(res, out.status, out.headers, out.body);
    }
    // The page at /functions/v1/device, and at /device as a custom domain or proxy would mount it.
    if (/^(\/functions\/v1)?\/device(\/|$)/.test(target.pathname)) return sendWebResponse(res, await devicePage(toWebRequest(req, target, body), deviceDeps()));

    const fn = /^\/functions\/v1\/([a-z-]+)\/?$/.exec(target.pathname);
    if (fn) {
      const request = new Request(target, {
        method: req.method ?? 'GET',
        headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])),
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const response =
        fn[1] === 'cli-auth' ? await cliAuth(request, cliAuthDeps(req.socket.remoteAddress ?? null)) : fn[1] === 'mcp-actions' ? await mcpActions(request, mcpDeps) : new Response('{"message":"Function not found"}', { status: 404 });
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k] = v));
      return send(res, response.status, headers, await response.text());
    }

    const rest = /^\/rest\/v1\/([^/]+)\/?$/.exec(target.pathname);
    if (rest) {
      // The API gateway wants the project key on REST calls; edge functions with verify_jwt = false do not.
      if (req.headers['apikey'] !== anonKey) return send(res, 401, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Invalid API key' }));
      const claims = claimsOf((req.headers['authorization'] as string | undefined) ?? null);
      if (!claims) return send(res, 401, { 'content-type': 'application/json' }, JSON.stringify({ code: 'PGRST301', message: 'JWT invalid or expired' }));
      const role = String(claims['role'] ?? 'anon');
      if (role !== 'anon' && role !== 'authenticated' && role !== 'service_role') return send(res, 401, {}, '{"code":"PGRST301","message":"bad role"}');
      let parsed: unknown = null;
      try {
        parsed = body ? JSON.parse(body) : null;
      } catch {
        return send(res, 400, { 'content-type': 'application/json' }, JSON.stringify({ code: 'PGRST102', message: 'Empty or invalid json' }));
      }
      const out = await handleRest(db, {
        method: req.method ?? 'GET',
        table: rest[1]!,
        query: target.searchParams,
        headers: { accept: req.headers['accept'], prefer: req.headers['prefer'] as string | undefined },
        body: parsed,
        role: role as ApiRole,
        claims,
      });
      return send(res, out.status, out.headers, out.body);
    }
    send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Not found in the Supabase stand-in' }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const decide = async (action: 'approve' | 'deny', userCode: string, userId: string) => {
    const session = await signJwt({ sub: userId, role: 'authenticated', exp: Math.floor(now().getTime() / 1000) + 3600 }, jwtSecret);
    const response = await cliAuth(
      new Request(`${url}/functions/v1/cli-auth`, { method: 'POST', headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' }, body: JSON.stringify({ action, user_code: userCode }) }),
      cliAuthDeps(),
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  return {
    url,
    functionsUrl: `${url}/functions/v1`,
    anonKey,
    db,
    async createUser(email = `user-${randomUUID().slice(0, 8)}@example.test`) {
      const { rows } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]);
      const id = rows[0]!.id;
      const accessToken = await signJwt({ sub: id, role: 'authenticated', aud: 'authenticated', email, exp: Math.floor(now().getTime() / 1000) + 86_400 }, jwtSecret);
      return { id, email, accessToken };
    },
    approve: (userCode, userId) => decide('approve', userCode, userId),
    deny: (userCode, userId) => decide('deny', userCode, userId),
    async sql<T>(query: string, params: unknown[] = []) {
      return (await db.query<T>(query, params)).rows;
    },
    advance(ms: number) {
      offset += ms;
    },
    now,
    requests: () => recorded.slice(),
    emails: () => gotrue.emails(),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

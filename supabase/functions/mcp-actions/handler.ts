/**
 * Account actions for a `gmmcp_…` token's owner — and nobody else: every query filters by the user the
 * token hash resolves to. Two dialects on one POST endpoint:
 * - plain JSON `{ "action": "whoami" | "skills.list" | "skills.get" | "telemetry" | "session", ... }` for the CLI;
 * - MCP over streamable HTTP (JSON-RPC 2.0: initialize, tools/list, tools/call, ping) so Claude Code can
 *   mount it with `--mcp-config` and call the same actions as tools.
 * Unknown, revoked or expired tokens get 401.
 */
import type { HandlerDeps } from '../_shared/deps.ts';
import { bearer, corsHeaders, json, readJson } from '../_shared/http.ts';
import { authenticateToken, type TokenOwner } from '../_shared/cli-token.ts';
import { signJwt } from '../_shared/jwt.ts';

export interface McpActionsDeps extends HandlerDeps {
  /** The project's JWT secret: lets `session` hand out a short-lived `authenticated` JWT for table access under RLS. */
  jwtSecret?: string;
  sessionSeconds?: number;
}

const SERVER_INFO = { name: 'godmode', version: '0.1.0' };
const PROTOCOL_VERSIONS = ['2025-06-18', '2025-03-26', '2024-11-05'];
const EVENT_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;
const MAX_EVENTS = 100;

export async function handler(req: Request, deps: McpActionsDeps): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
  if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' }, { allow: 'POST' });
  const owner = await authenticateToken(deps.db, bearer(req), deps.now());
  if (!owner) {
    return json(401, { error: 'invalid_token', error_description: 'The token is unknown, revoked or expired.' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  const body = await readJson(req);
  if (!body) return json(400, { error: 'invalid_request', error_description: 'The body must be JSON.' });
  if (Array.isArray(body) || body['jsonrpc'] === '2.0') return mcp(body, owner, deps);
  try {
    const action = String(body['action'] ?? '');
    switch (action) {
      case 'whoami':
        return json(200, await whoami(owner, deps));
      case 'skills.list':
        return json(200, { skills: await listSkills(owner, deps) });
      case 'skills.get': {
        const skill = await getSkill(owner, String(body['name'] ?? ''), deps);
        return skill ? json(200, { skill }) : json(404, { error: 'not_found' });
      }
      case 'telemetry':
        return json(202, { accepted: await insertTelemetry(owner, body['events'], deps) });
      case 'session':
        return session(owner, deps);
      default:
        return json(400, { error: 'invalid_request', error_description: 'Unknown action.' });
    }
  } catch (error) {
    return json(500, { error: 'server_error', error_description: (error as Error).message });
  }
}

async function whoami(owner: TokenOwner, deps: McpActionsDeps) {
  const { rows } = await deps.db.query<{ id: string; email: string | null; token_prefix: string; created_at: unknown; last_used_at: unknown; expires_at: unknown }>(
    `select u.id, u.email, t.token_prefix, t.created_at, t.last_used_at, t.expires_at
       from public.cli_tokens t join auth.users u on u.id = t.user_id
      where t.id = $1 and t.user_id = $2`,
    [owner.tokenId, owner.userId],
  );
  const row = rows[0];
  return {
    user_id: owner.userId,
    email: row?.email ?? null,
    token: row ? { prefix: row.token_prefix, created_at: iso(row.created_at), last_used_at: iso(row.last_used_at), expires_at: iso(row.expires_at) } : null,
  };
}

async function listSkills(owner: TokenOwner, deps: McpActionsDeps) {
  const { rows } = await deps.db.query<{ name: string; description: string; updated_at: unknown }>(
    'select name, description, updated_at from public.skills where user_id = $1 order by name',
    [owner.userId],
  );
  return rows.map((r) => ({ name: r.name, description: r.description, updated_at: iso(r.updated_at) }));
}

async function getSkill(owner: TokenOwner, name: string, deps: McpActionsDeps) {
  const { rows } = await deps.db.query<{ name: string; description: string; content: string }>(
    'select name, description, content from public.skills where user_id = $1 and name = $2',
    [owner.userId, name],
  );
  return rows[0] ?? null;
}

async function insertTelemetry(owner: TokenOwner, events: unknown, deps: McpActionsDeps): Promise<number> {
  if (!Array.isArray(events)) return 0;
  let accepted = 0;
  for (const e of events.slice(0, MAX_EVENTS)) {
    if (typeof e !== 'object' || e === null) continue;
    const name = (e as { event?: unknown }).event;
    if (typeof name !== 'string' || !EVENT_NAME.test(name)) continue;
    const payload = (e as { payload?: unknown }).payload ?? {};
    await deps.db.query('insert into public.telemetry_events (user_id, event, payload, created_at) values ($1, $2, $3, $4)', [
      owner.userId,
      name,
      JSON.stringify(payload),
      deps.now().toISOString(),
    ]);
    accepted++;
  }
  return accepted;
}

async function session(owner: TokenOwner, deps: McpActionsDeps): Promise<Response> {
  if (!deps.jwtSecret) return json(501, { error: 'not_configured', error_description: 'Table sessions are not enabled on this project.' });
  const seconds = deps.sessionSeconds ?? 600;
  const now = Math.floor(deps.now().getTime() / 1000);
  // `godmode_token_id` ties the session to the token it was minted from: every policy checks that token
  // is still live (godmode_private.cli_session_live), so revoking the token ends its sessions at once.
  const accessToken = await signJwt(
    { sub: owner.userId, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + seconds, godmode_token_id: owner.tokenId },
    deps.jwtSecret,
  );
  return json(200, { access_token: accessToken, token_type: 'bearer', expires_in: seconds });
}

// --- MCP (JSON-RPC 2.0 over streamable HTTP, JSON responses) ---

const TOOLS = [
  { name: 'whoami', description: 'The godmode account this token belongs to.', inputSchema: { type: 'object', properties: {} } },
  { name: 'skills_list', description: "List the skills saved in the user's godmode account.", inputSchema: { type: 'object', properties: {} } },
  {
    name: 'skill_get',
    description: 'Get one skill (name, description, SKILL.md content) from the godmode account.',
    inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  },
];

interface RpcRequest {
  jsonrpc?: unknown;
  id?: string | number | null;
  method?: unknown;
  params?: Record<string, unknown>;
}

async function mcp(body: Record<string, unknown> | unknown[], owner: TokenOwner, deps: McpActionsDeps): Promise<Response> {
  const batch = Array.isArray(body);
  const messages = (batch ? body : [body]) as RpcRequest[];
  const replies: unknown[] = [];
  for (const message of messages) {
    const reply = await rpc(message, owner, deps);
    if (reply) replies.push(reply);
  }
  if (replies.length === 0) return new Response(null, { status: 202, headers: corsHeaders });
  return json(200, batch ? replies : replies[0]);
}

async function rpc(message: RpcRequest, owner: TokenOwner, deps: McpActionsDeps): Promise<unknown> {
  const isRequest = message && message.id !== undefined && message.id !== null;
  if (!isRequest) return null; // notifications (e.g. notifications/initialized) and responses get no reply
  const ok = (result: unknown) => ({ jsonrpc: '2.0', id: message.id, result });
  const fail = (code: number, text: string) => ({ jsonrpc: '2.0', id: message.id, error: { code, message: text } });
  try {
    switch (message.method) {
      case 'initialize': {
        const asked = String(message.params?.['protocolVersion'] ?? '');
        return ok({
          protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
          capabilities: { tools: { listChanged: false } },
          serverInfo: SERVER_INFO,
          instructions: "Account actions of the signed-in godmode user: who they are and the skills they saved.",
        });
      }
      case 'ping':
        return ok({});
      case 'tools/list':
        return ok({ tools: TOOLS });
      case 'tools/call': {
        const name = message.params?.['name'];
        const args = (message.params?.['arguments'] ?? {}) as Record<string, unknown>;
        const text = (value: unknown) => ok({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value });
        if (name === 'whoami') return text(await whoami(owner, deps));
        if (name === 'skills_list') return text({ skills: await listSkills(owner, deps) });
        if (name === 'skill_get') {
          const skill = await getSkill(owner, String(args['name'] ?? ''), deps);
          return skill ? text(skill) : ok({ content: [{ type: 'text', text: `No skill named ${String(args['name'])}.` }], isError: true });
        }
        return fail(-32602, `Unknown tool: ${String(name)}`);
      }
      default:
        return fail(-32601, `Method not found: ${String(message.method)}`);
    }
  } catch (error) {
    return fail(-32603, (error as Error).message);
  }
}

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string).toISOString();
}

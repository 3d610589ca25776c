import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, mcpConfigFor } from '../src/index.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';
import { accountFor } from './helpers.js';

let standIn: SupabaseStandIn;
let token: string;
let userId: string;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  const ctx = await accountFor(standIn);
  const user = await standIn.createUser('mcp@example.test');
  userId = user.id;
  await login(ctx.account, { onCode: (c) => void standIn.approve(c.userCode, user.id), sleep: async (ms) => standIn.advance(ms) });
  token = (await ctx.account.tokens.read())!.token;
  await standIn.sql("insert into public.skills (user_id, name, description, content) values ($1, 'deploy', 'How we deploy', 'steps')", [user.id]);
  await ctx.cleanup();
});
afterAll(async () => standIn?.close());

async function rpc(body: unknown, auth = `Bearer ${token}`) {
  const config = mcpConfigFor(token, standIn.functionsUrl).mcpServers.godmode;
  const r = await fetch(config.url, {
    method: 'POST',
    headers: { authorization: auth, apikey: standIn.anonKey, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: r.status === 202 ? null : ((await r.json()) as Record<string, any>), headers: r.headers };
}

describe('mcp-actions speaks MCP over streamable HTTP', () => {
  it('builds the --mcp-config document Claude Code reads', () => {
    expect(mcpConfigFor('gmmcp_x', 'http://h/functions/v1/')).toEqual({
      mcpServers: { godmode: { type: 'http', url: 'http://h/functions/v1/mcp-actions', headers: { Authorization: 'Bearer gmmcp_x' } } },
    });
  });

  it('initialize, notifications, tools/list and tools/call act for the token owner', async () => {
    const init = await rpc({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
    expect(init.body).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18', serverInfo: { name: 'godmode' }, capabilities: { tools: {} } } });
    expect((await rpc({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    const list = await rpc({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(list.body!['result'].tools.map((t: { name: string }) => t.name)).toEqual(['whoami', 'skills_list', 'skill_get']);
    const me = await rpc({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'whoami', arguments: {} } });
    expect(me.body!['result'].structuredContent).toMatchObject({ user_id: userId, email: 'mcp@example.test' });
    const skill = await rpc({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'skill_get', arguments: { name: 'deploy' } } });
    expect(JSON.parse(skill.body!['result'].content[0].text)).toEqual({ name: 'deploy', description: 'How we deploy', content: 'steps' });
    const missing = await rpc({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'skill_get', arguments: { name: 'nope' } } });
    expect(missing.body!['result'].isError).toBe(true);
    expect((await rpc({ jsonrpc: '2.0', id: 6, method: 'nope' })).body!['error'].code).toBe(-32601);
  });

  it('401 for a missing, unknown or revoked token', async () => {
    expect((await rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, '')).status).toBe(401);
    const unknown = await rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, 'Bearer gmmcp_notarealtoken');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('the real Claude Code CLI connects to it from the mcpConfigFor document', async () => {
    const home = await mkdtemp(join(tmpdir(), 'godmode-claude-'));
    try {
      await writeFile(join(home, '.mcp.json'), JSON.stringify(mcpConfigFor(token, standIn.functionsUrl)));
      const claude = new URL('../../../node_modules/.bin/claude', import.meta.url).pathname;
      // Async on purpose: the stand-in lives in this process and must keep answering.
      const { stdout } = await promisify(execFile)(claude, ['mcp', 'list'], {
        cwd: home,
        env: { PATH: process.env['PATH'], HOME: home, CLAUDE_CONFIG_DIR: join(home, '.claude'), GODMODE_TEST_SUITE: process.env['GODMODE_TEST_SUITE'] },
        timeout: 90_000,
      });
      expect(stdout).toMatch(/godmode: .*\/functions\/v1\/mcp-actions \(HTTP\) - ✓ Connected/);
      expect(standIn.requests().some((r) => r.body.includes('"initialize"') && r.headers['authorization'] === `Bearer ${token}`)).toBe(true);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

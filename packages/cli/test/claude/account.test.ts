import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { login, openAccount } from '@godmode/auth';
import { startSupabaseStandIn, type SupabaseStandIn } from '@godmode/auth/stand-in';
import { startModelStandIn, type ModelStandIn, type Turn } from '../../../model-stand-in/src/index.js';
import { godmode, ndjson, testContext, type TestContext } from './support/cli.js';

// Account actions: a godmode login (against the auth package's local Supabase stand-in) gives Claude Code
// the mcp-actions server through a temporary 0600 MCP config that never outlives the command.
let supabase: SupabaseStandIn;
let userId: string;
beforeAll(async () => {
  supabase = await startSupabaseStandIn();
  userId = (await supabase.createUser('cli@example.test')).id;
}, 60_000);
afterAll(async () => supabase?.close());

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A context logged in to godmode (the real device flow against the stand-in), with its own TMPDIR. */
async function loggedIn(script: Turn[]): Promise<{ model: ModelStandIn; context: TestContext; tmp: string; token: string }> {
  const model = await startModelStandIn({ script });
  const base = testContext(model.url);
  const tmp = join(base.home, 'tmp');
  mkdirSync(tmp);
  const account = { GODMODE_SUPABASE_URL: supabase.url, GODMODE_SUPABASE_KEY: supabase.anonKey, GODMODE_CONFIG_DIR: join(base.home, '.config', 'godmode'), GODMODE_KEYRING: '0' };
  const context = { ...base, env: { ...base.env, ...account, TMPDIR: tmp } };
  cleanups.push(() => model.close(), () => base.dispose());
  const client = openAccount({ env: account, onWarning: () => {} });
  await login(client, { onCode: (code) => void supabase.approve(code.userCode, userId), sleep: async (ms) => supabase.advance(ms) });
  const token = (await client.tokens.read())!.token;
  return { model, context, tmp, token };
}

const mcpDirs = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('godmode-mcp-'));

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleep(50);
  }
}

/** Pids of processes whose command line mentions `needle` (Claude Code carries the config path in argv). */
function processesMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return state !== 'Z' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('account actions through the user’s godmode login', { timeout: 180_000 }, () => {
  it('Claude Code’s system/init lists the account server, the token goes in its header, and the config is gone afterwards', async () => {
    const { context, tmp, token } = await loggedIn([{ text: 'Connected.' }]);
    const before = supabase.requests().length;
    const run = await godmode(['ask', 'who am i?', '--json'], context);
    expect(run.exitCode).toBe(0);
    const events = ndjson(String(run.stdout));
    const init = events.find((e) => e.type === 'system' && e.subtype === 'init')!;
    expect(init.mcp_servers.map((s: { name: string }) => s.name)).toContain('godmode');
    expect(events.at(-1)).toMatchObject({ type: 'result', is_error: false });
    // Claude Code itself called mcp-actions with the user's token.
    const calls = supabase.requests().slice(before).filter((r) => r.path.endsWith('/functions/v1/mcp-actions'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    expect(run.stderr).not.toMatch(/account actions/);
    expect(mcpDirs(tmp)).toEqual([]);
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`the 0600 config is removed and Claude Code stopped after ${signal} mid-turn`, async () => {
      const { context, tmp } = await loggedIn([{ silentMs: 60_000 }, { text: 'never' }]);
      const child = godmode(['ask', 'take your time'], context);
      cleanups.push(() => {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      });
      const file = await waitFor(() => mcpDirs(tmp).map((dir) => join(tmp, dir, 'mcp.json')).find((f) => existsSync(f)));
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.godmode.url).toMatch(/\/functions\/v1\/mcp-actions$/);
      const claudePids = await waitFor(() => {
        const pids = processesMentioning(file);
        return pids.length > 0 ? pids : undefined;
      });
      await sleep(500);
      child.kill(signal);
      const run = await child;
      expect(run.exitCode ?? (run.signal === signal ? code : run.exitCode)).toBe(code);
      expect(mcpDirs(tmp)).toEqual([]);
      await waitFor(() => (claudePids.every((pid) => !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z') ? true : undefined), 15_000);
    });
  }
});

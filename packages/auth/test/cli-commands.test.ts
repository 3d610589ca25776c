import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';

// The account commands as real processes (oclif, from source) against the stand-in, with a 1 s poll interval.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const launcher = fileURLToPath(new URL('./support/godmode-account.ts', import.meta.url));
const tsx = join(root, 'node_modules/tsx/dist/esm/index.mjs');

let standIn: SupabaseStandIn;
let home: string;
let env: Record<string, string>;
const children = new Set<ReturnType<typeof spawn>>();
beforeAll(async () => {
  standIn = await startSupabaseStandIn({ interval: 1 });
  home = await mkdtemp(join(tmpdir(), 'godmode-cli-auth-'));
  env = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    GODMODE_CONFIG_DIR: join(home, 'config'),
    CLAUDE_CONFIG_DIR: join(home, 'claude'),
    GODMODE_SUPABASE_URL: standIn.url,
    GODMODE_SUPABASE_KEY: standIn.anonKey,
    GODMODE_KEYRING: '0',
    GODMODE_TELEMETRY: '0',
    NO_COLOR: '1',
  };
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await standIn?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

function godmode(args: string[], extraEnv: Record<string, string> = {}, onStdout?: (text: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, launcher, ...args], { env: { ...env, ...extraEnv }, cwd: home });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('godmode login / whoami / skills / logout', () => {
  it('fails clearly without configuration', async () => {
    const r = await godmode(['whoami'], { GODMODE_SUPABASE_URL: '', GODMODE_SUPABASE_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GODMODE_SUPABASE_URL and GODMODE_SUPABASE_KEY are not set/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('whoami before login says so', async () => {
    const r = await godmode(['whoami']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not logged in.*\n.*godmode login/);
  });

  it('logs in with a device code, shows the account, installs a skill, logs out', async () => {
    const user = await standIn.createUser('cli@example.test');
    await standIn.sql("insert into public.skills (user_id, name, description, content) values ($1, 'ship-it', 'Ship small', 'Small PRs.')", [user.id]);
    let approved = false;
    const loggedIn = await godmode(['login', '--no-browser'], {}, (out) => {
      const code = /\n\s+([B-Z]{4}-[B-Z]{4})\n/.exec(out)?.[1];
      if (code && !approved) {
        approved = true;
        void standIn.approve(code, user.id);
      }
    });
    expect(loggedIn.stderr).toMatch(/no OS keyring|^$/);
    expect(loggedIn.code).toBe(0);
    expect(loggedIn.stdout).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/device and enter the code/);
    expect(loggedIn.stdout).toMatch(/Logged in\. Token gmmcp_\S+… stored in a private file \(mode 0600\)/);
    const token = (await readFile(join(home, 'config', 'credentials', 'token'), 'utf8')).trim();

    const me = await godmode(['whoami', '--json']);
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ userId: user.id, email: 'cli@example.test', token: { source: 'file' } });

    const list = await godmode(['skills', 'list']);
    expect(list.stdout).toMatch(/ship-it\s+—\s+Ship small/);
    const install = await godmode(['skills', 'install', 'ship-it']);
    expect(install.code).toBe(0);
    expect(await readFile(join(home, 'claude', 'skills', 'ship-it', 'SKILL.md'), 'utf8')).toMatch(/^---\nname: ship-it\ndescription: "Ship small"\n---/);
    expect((await godmode(['skills', 'list', '--json'])).stdout).toContain('"installed":true');
    expect((await godmode(['skills', 'remove', 'ship-it'])).stdout).toMatch(/Removed ship-it/);

    const out = await godmode(['logout']);
    expect(out.stdout).toMatch(/Logged out: the token is revoked/);
    const after = await godmode(['whoami'], { GODMODE_TOKEN: token });
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/no longer valid: the token was revoked or has expired/);
    // The token never shows up in anything the commands printed.
    for (const r of [loggedIn, me, list, install, out, after]) expect(r.stdout + r.stderr).not.toContain(token);
  });
});

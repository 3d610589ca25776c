import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 18: no message of any account command contains a credential from a URL or key it was given — through
// the real binary (apps/godmode/bin/run.js, from dist), for every configuration in the table and every command.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'apps/godmode/bin/run.js');
/**
 * Builds of the CLI's dist take this lock exclusively and binary runs take it shared, so that no test runs the
 * binary while another test file's build (tsup cleans dist first) has half of it missing.
 */
const DIST_LOCK = '/tmp/godmode-dist.lock';
const TOKEN = 'gmmcp_T0kenValueThatMustNeverPrint_0123456789abcd';

interface Case {
  name: string;
  url: string;
  key: string;
  /** Strings that must appear in no output. */
  secrets: string[];
}
// Port 1 on the loopback refuses at once: every command reaches "could not reach", with the URL in hand.
const cases: Case[] = [
  { name: 'password in the URL', url: 'https://admin:hunter2secret@127.0.0.1:1', key: 'sb_publishable_pUbL1sh4bleKey99', secrets: ['hunter2secret', 'admin:'] },
  { name: 'percent-encoded userinfo', url: 'http://us%40er:p%40ss-word-9@127.0.0.1:1/', key: 'sb_publishable_pUbL1sh4bleKey99', secrets: ['p%40ss-word-9', 'p@ss-word-9', 'us%40er'] },
  { name: 'userinfo without a scheme', url: 'user:p4ssw0rd-x@127.0.0.1:1', key: 'sb_publishable_pUbL1sh4bleKey99', secrets: ['p4ssw0rd-x'] },
  { name: 'not http(s), with a password', url: 'ftp://u:pw12345xyz@127.0.0.1/x', key: 'sb_publishable_pUbL1sh4bleKey99', secrets: ['pw12345xyz'] },
  { name: 'unparseable, with a password', url: 'https://admin:hunter3secret@[::1', key: 'sb_publishable_pUbL1sh4bleKey99', secrets: ['hunter3secret'] },
  { name: 'keys in the query string', url: 'http://127.0.0.1:1/?apikey=sekrit-query-key&token=abc123secret', key: 'sb_publishable_pUbL1sh4bleKey99', secrets: ['sekrit-query-key', 'abc123secret'] },
  { name: 'a token in the fragment', url: 'http://127.0.0.1:1/#access_token=frag-secret-value', key: 'sb_publishable_pUbL1sh4bleKey99', secrets: ['frag-secret-value'] },
  { name: 'a secret key given as the key', url: 'http://127.0.0.1:1', key: 'sb_secret_s3cr3tkeyvalue123456', secrets: ['s3cr3tkeyvalue123456'] },
  { name: 'a legacy JWT key', url: 'http://127.0.0.1:1', key: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlc2ln', secrets: ['eyJyb2xlIjoiYW5vbiJ9', 'c2lnbmF0dXJlc2ln'] },
  { name: 'a key of no known shape', url: 'http://127.0.0.1:1', key: 'plain-opaque-key-7f3a9c2e', secrets: ['plain-opaque-key-7f3a9c2e'] },
];
const commands: Array<{ args: string[]; token: boolean }> = [
  { args: ['login', '--no-browser'], token: false },
  { args: ['whoami'], token: true },
  { args: ['whoami', '--json'], token: true },
  { args: ['skills', 'list'], token: true },
  { args: ['skills', 'install', 'some-skill'], token: true },
];

let home = '';
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'godmode-redact-'));
  // The binary loads @godmode/auth from its dist: rebuild it when a source is newer.
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  let built = 0;
  try {
    built = statSync(join(root, 'packages/auth/dist/index.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (newest(join(root, 'packages/auth/src')) > built) {
    const r = spawnSync('flock', ['-x', DIST_LOCK, 'pnpm', '--filter', '@godmode/auth', 'build'], { cwd: root, stdio: 'pipe' });
    if (r.status !== 0) throw new Error(`building @godmode/auth failed:\n${r.stderr}`);
  }
}, 180_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

function godmode(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('flock', ['-s', DIST_LOCK, process.execPath, bin, ...args], { cwd: home, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: `${stdout}\n${stderr}` });
    });
  });
}

describe('no message of login, whoami or skills carries a credential it was given', () => {
  it.each(cases)('$name', async ({ url, key, secrets }) => {
    for (const { args, token } of commands) {
      const env: Record<string, string> = {
        PATH: process.env['PATH'] ?? '',
        HOME: home,
        GODMODE_CONFIG_DIR: join(home, 'config'),
        CLAUDE_CONFIG_DIR: join(home, 'claude'),
        GODMODE_SUPABASE_URL: url,
        GODMODE_SUPABASE_KEY: key,
        GODMODE_KEYRING: '0',
        GODMODE_TELEMETRY: '0',
        NO_COLOR: '1',
        ...(token ? { GODMODE_TOKEN: TOKEN } : {}),
      };
      const r = await godmode(args, env);
      const label = `godmode ${args.join(' ')} → exit ${r.code}\n${r.out}`;
      // A configuration or service problem (2 or 3), said plainly: never a crash, never a stack trace.
      expect([2, 3], label).toContain(r.code);
      expect(r.out, label).not.toMatch(/\n\s+at /);
      for (const s of [...secrets, key, TOKEN, TOKEN.slice(6)]) expect(r.out, label).not.toContain(s);
    }
  });
});

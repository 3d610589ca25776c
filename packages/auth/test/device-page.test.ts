import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';

// The whole device login as a user lives it: the real `godmode` binary (apps/godmode/bin/run.js, from dist)
// in one process, the device page in headless Chromium in another, both against the stand-in — which serves
// the real functions/device handler and speaks Supabase Auth's protocol for the email one-time code.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'apps/godmode/bin/run.js');
const outputDir = fileURLToPath(new URL('../test-output/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The binary runs from dist: rebuild it (and what it depends on) when a source of this flow is newer. */
function ensureBuilt(): void {
  const pairs = [
    ['packages/auth/src/login.ts', 'packages/auth/dist/index.js'],
    ['packages/auth/src/service.ts', 'packages/auth/dist/index.js'],
    ['packages/cli/src/commands/login.ts', 'packages/cli/dist/index.js'],
    ['packages/cli/src/commands/login.ts', 'apps/godmode/dist/main.js'],
  ].map(([source, built]) => [join(root, source!), join(root, built!)] as const);
  if (pairs.every(([source, built]) => existsSync(built) && statSync(source).mtimeMs <= statSync(built).mtimeMs)) return;
  const r = spawnSync('pnpm', ['--filter', 'godmode...', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('pnpm --filter godmode... build failed');
}

async function ensureChromium(): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const r = spawnSync('flock', ['/tmp/godmode-apt.lock', 'sh', '-c', `test -x ${CHROMIUM} || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)`], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  return CHROMIUM;
}

let standIn: SupabaseStandIn;
let browser: Browser;
let home: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  ensureBuilt();
  const executablePath = await ensureChromium();
  standIn = await startSupabaseStandIn({ interval: 1 });
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  home = await mkdtemp(join(tmpdir(), 'godmode-device-page-'));
  mkdirSync(outputDir, { recursive: true });
}, 600_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await browser?.close();
  await standIn?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

interface Cli {
  url: string;
  userCode: string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function envFor(name: string): Record<string, string> {
  const dir = join(home, name);
  // No DISPLAY, no SSH, no CI: the CLI decides it is not on a desktop and opens nothing.
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: dir,
    GODMODE_CONFIG_DIR: join(dir, 'config'),
    CLAUDE_CONFIG_DIR: join(dir, 'claude'),
    GODMODE_SUPABASE_URL: standIn.url,
    GODMODE_SUPABASE_KEY: standIn.anonKey,
    GODMODE_KEYRING: '0',
    GODMODE_TELEMETRY: '0',
    NO_COLOR: '1',
  };
}

function godmode(args: string[], env: Record<string, string>, onStdout?: (text: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd: env['HOME'] ?? home });
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

/** `godmode login` in its own process; resolves once it has printed the URL to open. */
async function startLogin(env: Record<string, string>): Promise<Cli> {
  mkdirSync(env['HOME']!, { recursive: true });
  let printed: (v: { url: string; userCode: string }) => void;
  const shown = new Promise<{ url: string; userCode: string }>((resolve) => (printed = resolve));
  const done = godmode(['login'], env, (out) => {
    const url = /Or open (\S+)/.exec(out)?.[1];
    const userCode = /\n\s+([B-Z]{4}-[B-Z]{4})\n/.exec(out)?.[1];
    if (url && userCode) printed({ url, userCode });
  });
  const first = await Promise.race([shown, done.then((r) => Promise.reject(new Error(`godmode login exited early (${r.code}): ${r.stdout}${r.stderr}`)))]);
  return { ...first, done };
}

/** Everything the page logged or was refused, and every request it made. */
/** Collects a page's console, CSP violations and requests; resolves once the violation listener is installed for every later navigation. */
async function watch(page: Page): Promise<{ console: string[]; violations: string[]; requests: string[] }> {
  const seen = { console: [] as string[], violations: [] as string[], requests: [] as string[] };
  page.on('console', (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => seen.console.push(`pageerror: ${e.message}`));
  page.on('request', (r) => seen.requests.push(r.url()));
  // Awaited: a navigation started before both are registered has no listener (CI saw a violation never reported under load).
  await page.exposeFunction('__reportViolation', (text: string) => seen.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportViolation(t: string): void }).__reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return seen;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.locator('#email').fill(email);
  await page.locator('#email-form button[type=submit]').click();
  await page.locator('#otp-form').waitFor({ state: 'visible' });
  const mail = standIn.emails().filter((m) => m.to === email).at(-1);
  expect(mail, `a sign-in code was emailed to ${email}`).toBeDefined();
  await page.locator('#otp').fill(mail!.code);
  await page.locator('#otp-form button[type=submit]').click();
  await expect.poll(() => page.locator('#who').textContent()).toBe(email);
}

async function newContext(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 900, height: 900 } });
}

describe('the device page, end to end with the real CLI', () => {
  it('sign in, see the same code and the requesting device, approve; the CLI says who it is; whoami agrees; approving again says so', async () => {
    const env = envFor('approve');
    const cli = await startLogin(env);
    expect(cli.url).toBe(`${standIn.url}/device?code=${cli.userCode}`);
    const context = await newContext();
    const page = await context.newPage();
    const seen = await watch(page);
    await page.goto(cli.url);
    await page.locator('#signin').waitFor({ state: 'visible' });
    await signIn(page, 'approver@example.test');

    // The code is shown for confirmation, never approved by itself.
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-code').textContent()).toBe(cli.userCode);
    expect(await page.locator('#device-name').textContent()).toMatch(/^godmode CLI on \S+/);
    expect(await page.locator('#device-platform').textContent()).toMatch(/\((x64|arm64|[a-z0-9]+)\)$/);
    expect(await page.locator('#device-time').textContent()).toMatch(/\d/);
    expect((await standIn.sql<{ state: string }>('select state from public.device_codes'))[0]!.state).toBe('pending');
    await page.screenshot({ path: join(outputDir, 'device-page-confirm.png'), fullPage: true });

    // A second tab holds the same code, to press Approve after the first already did.
    const second = await context.newPage();
    await second.goto(cli.url);
    await second.locator('#confirm').waitFor({ state: 'visible' });

    await page.locator('#approve').click();
    await page.locator('#outcome[data-outcome="approved"]').waitFor();
    expect(await page.locator('#outcome-text').textContent()).toMatch(/Approved\. Your terminal is now logged in as approver@example\.test/);
    await page.screenshot({ path: join(outputDir, 'device-page-approved.png'), fullPage: true });

    const result = await cli.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Logged in\. Token gmmcp_\S+… stored in a private file/);
    const user = (await standIn.sql<{ id: string }>("select id from auth.users where email = 'approver@example.test'"))[0]!;
    expect(result.stdout).toContain(`Logged in as approver@example.test (user ${user.id}).`);
    const me = await godmode(['whoami', '--json'], env);
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ email: 'approver@example.test', token: { source: 'file' } });

    await second.locator('#approve').click();
    await second.locator('#outcome[data-outcome="already-approved"]').waitFor();
    expect(await second.locator('#outcome-text').textContent()).toMatch(/already approved/);
    // Opening the link again later: the page says so, and offers nothing to approve.
    const again = await context.newPage();
    await again.goto(cli.url);
    await again.locator('#outcome[data-outcome="already-approved"]').waitFor();
    expect(await again.locator('#confirm').isVisible()).toBe(false);
    expect(await standIn.sql('select 1 from public.cli_tokens')).toHaveLength(1);

    // Offline by construction: every request went to the stand-in; no CSP complaint in normal use.
    expect(seen.requests.filter((u) => !u.startsWith(standIn.url))).toEqual([]);
    expect(seen.violations).toEqual([]);
    expect(seen.console.filter((m) => /^error|pageerror/.test(m) && !/404 \(Not Found\)/.test(m))).toEqual([]);
    await context.close();
  });

  it('deny: the page says so plainly, the CLI says it was denied, exits 1 and stores nothing', async () => {
    const env = envFor('deny');
    const cli = await startLogin(env);
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(cli.url);
    await signIn(page, 'denier@example.test');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-code').textContent()).toBe(cli.userCode);
    await page.locator('#deny').click();
    await page.locator('#outcome[data-outcome="denied"]').waitFor();
    expect(await page.locator('#outcome-text').textContent()).toMatch(/^Denied\./);

    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/declined/);
    expect(existsSync(join(env['GODMODE_CONFIG_DIR']!, 'credentials', 'token'))).toBe(false);
    const user = await standIn.sql<{ id: string }>("select id from auth.users where email = 'denier@example.test'");
    expect(await standIn.sql('select 1 from public.cli_tokens where user_id = $1', [user[0]!.id])).toHaveLength(0);
    const me = await godmode(['whoami'], env);
    expect(me.stderr).toMatch(/not logged in/);
    await context.close();
  });

  it('its headers refuse framing and inline script; the HTML has no inline code', async () => {
    const response = await fetch(`${standIn.url}/functions/v1/device?code=BCDF-GHJK`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script has a src
    expect(html).not.toMatch(/\son[a-z]+=|\sstyle=|<style/); // no inline handlers or styles

    // Another origin frames the page: Chromium refuses to render it.
    const attacker: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>evil</title><iframe id="victim" src="${standIn.url}/device?code=BCDF-GHJK" width="600" height="400"></iframe>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const context = await newContext();
    try {
      const framer = await context.newPage();
      const messages: string[] = [];
      const blocked: string[] = [];
      framer.on('console', (m) => messages.push(m.text()));
      framer.on('requestfailed', (r) => blocked.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
      await framer.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
      await expect.poll(() => messages.some((m) => /frame-ancestors 'none'/.test(m) && /blocked/.test(m)), { timeout: 10_000 }).toBe(true);
      expect(blocked).toEqual([`${standIn.url}/device?code=BCDF-GHJK net::ERR_BLOCKED_BY_RESPONSE`]);
      // The frame commits to Chromium's error page a moment after the console says why (seen empty under load).
      const victim = () => framer.frames().find((f) => f !== framer.mainFrame());
      await expect.poll(() => victim()?.url(), { timeout: 10_000 }).toBe('chrome-error://chromewebdata/');
      const frame = victim();
      expect(await frame!.evaluate(() => document.querySelector('#user-code'))).toBeNull();

      // Inline script injected from the console on the page itself: refused by the CSP.
      const page = await context.newPage();
      const seen = await watch(page);
      await page.goto(`${standIn.url}/device`);
      await page.locator('#signin').waitFor({ state: 'visible' });
      const ran = await page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true;';
        document.head.append(s);
        await new Promise((r) => setTimeout(r, 100));
        return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => seen.violations.some((v) => /^script-src/.test(v))).toBe(true);
      expect(seen.console.some((m) => /inline script/i.test(m) && /Content Security Policy/.test(m))).toBe(true);
    } finally {
      await context.close();
      attacker.closeAllConnections();
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
  });

  it('an expired code: the page says so before and after Approve, the CLI stops, nothing is stored', async () => {
    const env = envFor('expire');
    const cli = await startLogin(env);
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(cli.url);
    await signIn(page, 'late@example.test');
    await page.locator('#confirm').waitFor({ state: 'visible' });

    standIn.advance(16 * 60_000); // past the 15 minutes a code lives
    await page.locator('#approve').click();
    await page.locator('#outcome[data-outcome="expired"]').waitFor();
    expect(await page.locator('#outcome-text').textContent()).toMatch(/has expired/);

    const reopened = await context.newPage();
    await reopened.goto(cli.url);
    await reopened.locator('#outcome[data-outcome="expired"]').waitFor();
    expect(await reopened.locator('#approve').isVisible()).toBe(false);
    await reopened.screenshot({ path: join(outputDir, 'device-page-expired.png'), fullPage: true });

    const result = await cli.done;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/expired/);
    expect(existsSync(join(env['GODMODE_CONFIG_DIR']!, 'credentials', 'token'))).toBe(false);
    expect(await standIn.sql("select 1 from public.device_codes where state <> 'pending' and client_name like 'godmode CLI on %' and user_id = (select id from auth.users where email = 'late@example.test')")).toHaveLength(0);
    await context.close();
  });
});

import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const bin = join(repoRoot, 'apps/godmode/bin/run.js');
export const demoDir = join(repoRoot, 'apps/godmode/demo');
export const outputDir = fileURLToPath(new URL('../../test-output/', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The binary runs from dist: build it when it is missing (CI builds before testing). */
export function ensureBuilt(): void {
  if (existsSync(join(repoRoot, 'apps/godmode/dist/main.js')) && existsSync(join(repoRoot, 'packages/dashboard/dist/index.js'))) return;
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

export function tempProject(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'godmode-dashboard-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the demo plan and its workers inside `project`. */
export function copyDemo(project: string): string {
  cpSync(demoDir, join(project, 'demo'), { recursive: true });
  return join(project, 'demo', 'plan.yaml');
}

export function godmode(args: string[], opts: { cwd: string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: opts.timeoutMs ?? 180_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Problems a page reports: console errors and warnings, uncaught errors, failed requests, requests off the server. */
export function watchPage(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) problems.push(`request off the server: ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // The event stream is cut when the page closes; that is not a failure of the page.
    if (!r.url().includes('/events')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  return problems;
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  return context.newPage();
}

export function screenshotPath(name: string): string {
  mkdirSync(outputDir, { recursive: true });
  return join(outputDir, name);
}

/** A raw HTTP GET with chosen headers (a browser would not let a page forge Host). */
export function rawGet(port: number, path: string, headers: Record<string, string>, host = '127.0.0.1'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, headers, method: 'GET', timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        // An event stream never ends: its first message is enough.
        if (res.headers['content-type']?.startsWith('text/event-stream') && body.includes('\n\ndata: ') && body.endsWith('\n\n')) res.destroy();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end();
  });
}

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../src/index.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuilt, godmode, newPage, rawGet, screenshotPath, tempProject, watchPage } from '../helpers/browser.js';

let browser: Browser | undefined;
let dashboard: Dashboard | undefined;
const project = tempProject();
let runId = '';
let runDir = '';

// A worker that writes its deliverable, then a claim made to hurt whoever shows it: a script tag, ANSI
// escapes, a 1 MB line (10^6 characters: the reconciler reads claims up to 1 MiB), and a planted canary;
// it prints the same on stdout.
const worker = `
const fs = require('node:fs');
const path = require('node:path');
const wd = process.env.GODMODE_WORKDIR;
fs.mkdirSync(path.join(wd, 'src'), { recursive: true });
fs.writeFileSync(path.join(wd, 'src', 'a.ts'), 'export const a = 1;\\n');
const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">\\u001b[31mRED\\u001b[0m\\u001b]0;title\\u0007 ' + process.env.PAYMENTS_API_SECRET + ' ' + 'A'.repeat(1_000_000);
console.log(evil);
fs.writeFileSync(process.env.GODMODE_RESULT, JSON.stringify({ status: evil }));
`;

beforeAll(async () => {
  ensureBuilt();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const dir = join(project.dir, 'hostile');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'worker.cjs'), worker);
  writeFileSync(
    join(dir, 'plan.yaml'),
    [
      'name: hostile-claim',
      'settings: { samplePeriodMs: 500, canaries: 3, maxAttempts: 1 }',
      'phases:',
      '  - id: only',
      '    streams:',
      '      - id: evil',
      `        worker: { adapter: command, options: { command: 'node "$GODMODE_PLAN_DIR/worker.cjs"' } }`,
      '        deliverables: ["src/a.ts"]',
      '',
    ].join('\n'),
  );
  const ran = await godmode(['orchestra', 'run', join(dir, 'plan.yaml'), '--json', '--cwd', project.dir], { cwd: project.dir });
  const outcome = ran.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>).find((e) => e.type === 'outcome');
  expect(outcome, ran.stderr).toBeDefined();
  runId = outcome!.runId!;
  runDir = outcome!.runDir!;
  dashboard = await startDashboard({ root: join(project.dir, '.godmode', 'runs') });
}, 15 * 60_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  project.cleanup();
});

describe('worker text is only ever text', () => {
  it('renders a claim with <script>, ANSI escapes and a 1 MB line as text, sends no canary, and stays responsive', async () => {
    const canaries = (JSON.parse(readFileSync(join(runDir, 'canaries.json'), 'utf8')) as { values: string[] }).values;
    expect(canaries.length).toBe(3);
    const page = await newPage(browser!);
    const problems = watchPage(page, dashboard!.origin);
    const messages: string[] = [];
    page.on('response', async (r) => {
      if (r.url().endsWith('/api/runs')) messages.push(await r.text());
    });
    await page.goto(`${dashboard!.url}&run=${runId}`);
    await page.waitForSelector('tr[data-stream="evil"][data-verdict="shipped"]');
    const claim = (await page.locator('tr[data-stream="evil"] td.claim').textContent())!;
    expect(claim).toContain('<script>window.__pwned = 1</script>');
    expect(claim).toContain('RED');
    expect(claim).not.toMatch(/\u001b/);
    expect(claim).toContain('[canary]');
    expect(claim.length).toBeLessThan(5_000);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(2); // uPlot and the page's own
    expect(await page.locator('img').count()).toBe(0);
    const html = await page.content();
    for (const c of canaries) expect(html).not.toContain(c);
    // Responsive: the page still answers and redraws.
    await page.setViewportSize({ width: 900, height: 900 });
    expect(await page.evaluate(() => document.querySelectorAll('tr[data-stream]').length)).toBe(1);
    await page.screenshot({ path: screenshotPath('hostile-claim.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();

    // What goes over the wire carries no canary either (checked on the raw event stream).
    const first = await rawGet(dashboard!.port, `/api/runs/${runId}/events?token=${dashboard!.token}`, { host: `127.0.0.1:${dashboard!.port}` });
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    const stream = await rawGet(dashboard!.port, `/api/runs/${runId}/events`, { host: `127.0.0.1:${dashboard!.port}`, cookie });
    expect(stream.status).toBe(200);
    expect(stream.body).toContain('"type":"snapshot"');
    expect(stream.body).toContain('[canary]');
    for (const c of canaries) expect(stream.body).not.toContain(c);
  });
});

describe('requests the dashboard refuses', () => {
  it('refuses no token, a wrong token, a foreign Host, a foreign Origin, and anything but GET; answers its own', async () => {
    const port = dashboard!.port;
    const own = `127.0.0.1:${port}`;
    const ok = await rawGet(port, `/?token=${dashboard!.token}`, { host: own });
    expect(ok.status).toBe(303);
    expect(String(ok.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const page = await rawGet(port, '/', { host: own, cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await rawGet(port, '/', { host: own })).status).toBe(401);
    expect((await rawGet(port, '/api/runs', { host: own })).status).toBe(401);
    expect((await rawGet(port, `/api/runs/${runId}/events`, { host: own })).status).toBe(401);
    expect((await rawGet(port, '/?token=wrong', { host: own })).status).toBe(401);
    expect((await rawGet(port, `/?token=${dashboard!.token}`, { host: `rebound.example:${port}` })).status).toBe(421);
    expect((await rawGet(port, '/api/runs', { host: `rebound.example:${port}`, cookie })).status).toBe(421);
    expect((await rawGet(port, '/api/runs', { host: own, cookie, origin: 'http://rebound.example' })).status).toBe(403);
    expect((await rawGet(port, '/api/runs', { host: own, cookie, origin: `http://${own}` })).status).toBe(200);
    expect((await rawGet(port, '/../../etc/passwd', { host: own, cookie })).status).toBe(404);
  });

  it('is not reachable from any address but loopback', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of external) {
      await expect(rawGet(dashboard!.port, `/?token=${dashboard!.token}`, { host: `127.0.0.1:${dashboard!.port}` }, address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
    // The guard refuses a non-loopback peer even if a socket got through (table in request-guard.test.ts).
  });
});

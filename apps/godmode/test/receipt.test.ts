import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../../packages/scorer/test/helpers/ensure-chromium.js';
import { ensureBuilt, examplePlan, godmode, runDirs, tempProject } from './helpers.js';

let browser: Browser | undefined;

beforeAll(async () => {
  ensureBuilt();
  browser = await chromium.launch({ executablePath: await ensureChromium(), args: CHROMIUM_ARGS });
}, 15 * 60_000);
afterAll(async () => browser?.close());

describe('the receipt of the bundled example run', () => {
  it('renders in headless Chromium with a timeline chart for every worker and no console error', async () => {
    const project = tempProject();
    const r = await godmode(['orchestra', 'run', examplePlan, '--cwd', project]);
    expect(r.code, r.stderr).toBe(1); // 2 of 3 shipped, as the example is built to end: a failed outcome
    const [runDir] = runDirs(project);
    const scorecard = JSON.parse(readFileSync(join(runDir!, 'scorecard.json'), 'utf8'));
    const attempts = readdirSync(join(runDir!, 'streams')).flatMap((s) => readdirSync(join(runDir!, 'streams', s, 'attempts')).map((a) => `${s}#${a}`));
    // honest and silent once, boaster twice (its retry): four workers in all.
    expect(attempts.sort()).toEqual(['boaster#1', 'boaster#2', 'honest#1', 'silent#1']);

    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (q) => !q.url().startsWith('file:') && !q.url().startsWith('data:') && problems.push(`network: ${q.url()}`));
    await page.goto(pathToFileURL(join(runDir!, 'receipt.html')).href, { waitUntil: 'load' });
    for (const a of attempts) {
      const [stream, attempt] = a.split('#');
      const svg = page.locator(`svg.timeline[data-stream="${stream}"][data-attempt="${attempt}"]`);
      expect(await svg.count(), a).toBe(1);
      expect((await svg.boundingBox())!.width).toBeGreaterThan(300);
    }
    expect(await page.locator('table.claims tr[data-stream]').count()).toBe(3);
    expect(await page.locator('#overall').textContent()).toBe(scorecard.overall.toFixed(2));
    expect(problems).toEqual([]);
    await page.close();
  });
});

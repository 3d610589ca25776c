import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantCanaries } from '../../src/canaries/plant-canaries.js';
import { scoreRunDir } from '../../src/score-run-dir.js';
import { ensureChromium, CHROMIUM_ARGS } from '../helpers/ensure-chromium.js';
import { seedIncident, type FixtureRun } from '../helpers/fixture-run.js';

let browser: Browser | undefined;
let run: FixtureRun | undefined;

beforeAll(async () => {
  const executablePath = await ensureChromium();
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}, 15 * 60_000);

afterAll(async () => {
  await browser?.close();
  run?.cleanup();
});

describe('receipt.html in headless Chromium', () => {
  it('renders the scorecard, the tables and a timeline chart for every worker, with no console error and no network', async () => {
    run = seedIncident({
      canaries: plantCanaries(10, 'browser').values,
      merged: { 'README.md': `# godmode\n\n${'words '.repeat(80)}`, 'supabase/migrations/001.sql': 'create table public.telemetry (id int);' },
      plan: { test: 'echo "164 passed, 1 failed"' },
    });
    const { scorecard, files } = await scoreRunDir(run.runDir);
    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(files.html!).href, { waitUntil: 'load' });

    expect(await page.title()).toContain('godmode-cli');
    expect(await page.locator('#scorecard tr[data-dimension]').count()).toBe(6); // five dimensions + overall
    expect(await page.locator('#overall').textContent()).toBe(scorecard.overall!.toFixed(2));
    expect(await page.locator('table.claims tr[data-stream]').count()).toBe(4);
    expect(await page.locator('#disagreements').textContent()).toBe('3');
    expect(await page.locator('#costs tr[data-phase="total"]').count()).toBe(1);
    expect(await page.locator('#findings tr[data-severity="high"]').count()).toBe(1);
    expect(await page.locator('#broke tr[data-kind="takeover"]').count()).toBe(1);
    expect(await page.locator('#points').textContent()).toBe(String(scorecard.game.points));

    // One builder, two truths: a drawn chart per worker, with output, disk writes and CPU.
    expect(scorecard.workers).toHaveLength(5);
    for (const w of scorecard.workers) {
      const svg = page.locator(`svg.timeline[data-stream="${w.stream}"][data-attempt="${w.attempt}"]`);
      expect(await svg.count(), `${w.stream}#${w.attempt}`).toBe(1);
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
      expect(await svg.locator('g.output rect').count()).toBeGreaterThan(0);
      expect(await svg.locator('path.disk').count()).toBe(1);
      expect(await svg.locator('path.cpu').count()).toBe(1);
    }
    expect(await page.locator('svg.timeline g.marker.reap').count()).toBe(4);
    expect(await page.locator('svg.timeline rect.pause').count()).toBe(2);
    expect(await page.locator('svg.timeline g.marker.stall').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});

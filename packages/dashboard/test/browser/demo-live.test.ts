import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { governorSampleKind, governorSampleSchema } from '@godmode/protocol';
import { buildReceiptModel, loadRun, readScorecard } from '@godmode/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../src/index.js';
import { CHROMIUM, CHROMIUM_ARGS, copyDemo, ensureBuilt, godmode, newPage, screenshotPath, tempProject, watchPage } from '../helpers/browser.js';

let browser: Browser | undefined;
let dashboard: Dashboard | undefined;
const project = tempProject();

beforeAll(async () => {
  ensureBuilt();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 15 * 60_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  project.cleanup();
});

describe('the demo, live in the dashboard', () => {
  let runDir = '';

  it('shows a 4-stream run as it happens: rows go running → paused → shipped, charts draw, no console error', async () => {
    const plan = copyDemo(project.dir);
    dashboard = await startDashboard({ root: join(project.dir, '.godmode', 'runs') });
    const started = await godmode(['orchestra', 'run', plan, '--detach', '--json', '--cwd', project.dir], { cwd: project.dir });
    expect(started.code, started.stderr).toBe(0);
    const detached = started.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>).find((e) => e.type === 'detached')!;
    runDir = detached.runDir!;

    const page = await newPage(browser!);
    const problems = watchPage(page, dashboard.origin);
    await page.goto(`${dashboard.url}&run=${encodeURIComponent(detached.runId!)}`);
    // Every state each row shows, in order, recorded by the page itself as it changes.
    await page.waitForSelector('tr[data-stream]');
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { seen: typeof seen }).seen = seen;
      const record = () => {
        for (const tr of document.querySelectorAll<HTMLElement>('tr[data-stream]')) {
          const list = (seen[tr.dataset.stream!] ??= []);
          if (list.at(-1) !== tr.dataset.state) list.push(tr.dataset.state!);
        }
      };
      record();
      new MutationObserver(record).observe(document.getElementById('stream-rows')!, { subtree: true, attributes: true, childList: true });
    });
    expect(await page.locator('tr[data-stream]').count()).toBe(4);
    await page.waitForFunction(() => document.getElementById('run-status')?.dataset.status === 'finished', undefined, { timeout: 150_000, polling: 200 });
    await page.waitForFunction(() => document.getElementById('overall')?.textContent !== '—', undefined, { timeout: 20_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: Record<string, string[]> }).seen);
    for (const [stream, states] of Object.entries(seen)) {
      expect(states, stream).toContain('running');
      expect(states.at(-1), stream).toBe('shipped');
    }
    // Three hot builders on an 80% ceiling: the governor paused at least one, and the page said so.
    expect(Object.values(seen).some((s) => s.includes('paused')), JSON.stringify(seen)).toBe(true);

    // A chart per worker attempt, drawn (pixels on the canvas), and the machine's against the ceiling.
    const charts = page.locator('.worker[data-key] canvas');
    expect(await charts.count()).toBeGreaterThanOrEqual(4);
    const inked = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>('.worker canvas, #machine-chart canvas')].map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      }),
    );
    expect(inked.every((n) => n > 500), JSON.stringify(inked)).toBe(true);
    // The machine's own CPU, as the governor sampled it (governor.sample entries), drawn against the ceiling.
    const samples = journalOf(runDir).filter((e) => e.kind === governorSampleKind);
    expect(samples.length).toBeGreaterThan(0);
    for (const e of samples) expect(governorSampleSchema.safeParse(e.payload).success, JSON.stringify(e.payload)).toBe(true);
    expect(samples.some((e) => (e.payload as { paused: number }).paused > 0), 'a sample saw the governor hold a worker').toBe(true);
    await expectMachineChart(page, samples.filter((e) => (e.payload as { cpu: number | null }).cpu !== null).length);
    await page.screenshot({ path: screenshotPath('demo-live.png'), fullPage: true });
    console.log(`screenshot: ${screenshotPath('demo-live.png')}`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("shows a finished run from its journal exactly as its receipt does: same verdicts, same score", async () => {
    const card = readScorecard(runDir)!;
    expect(card).not.toBeNull();
    const run = await loadRun(runDir);
    const model = buildReceiptModel({ runDir, scorecard: card, plan: run.plan, verdicts: run.verdicts, journal: run.journal });
    // A new server, a new page: nothing but the run directory.
    await dashboard!.close();
    dashboard = await startDashboard({ root: join(project.dir, '.godmode', 'runs') });
    const page = await newPage(browser!);
    const problems = watchPage(page, dashboard.origin);
    await page.goto(dashboard.url);
    await page.waitForFunction(() => document.getElementById('overall')?.textContent !== '—');
    expect(await page.locator('#overall').textContent()).toBe(card.overall!.toFixed(2));
    expect(readFileSync(join(runDir, 'receipt.md'), 'utf8')).toContain(card.overall!.toFixed(2));
    for (const claim of model.claims) {
      const row = page.locator(`tr[data-stream="${claim.stream}"]`);
      expect(await row.getAttribute('data-verdict'), claim.stream).toBe(claim.status);
      expect(await row.locator('td.sentence').textContent(), claim.stream).toBe(claim.sentence);
      expect(await row.locator('td.claim').textContent(), claim.stream).toBe(claim.claim);
    }
    expect(await page.locator('#points').textContent()).toContain(`${card.game.points} points`);
    // The machine chart of a finished run, from its journal alone.
    await expectMachineChart(page, journalOf(runDir).filter((e) => e.kind === governorSampleKind && (e.payload as { cpu: number | null }).cpu !== null).length);
    await page.screenshot({ path: screenshotPath('demo-finished.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

function journalOf(runDir: string): Array<{ kind: string; payload: unknown }> {
  return readFileSync(join(runDir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; payload: unknown });
}

/** The machine chart holds every governor sample (up to its 600-point cap) and draws the machine's CPU line (#d2a8ff). */
async function expectMachineChart(page: import('playwright-core').Page, samples: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.getElementById('machine-chart')?.dataset.governorPoints ?? 0) >= Math.min(n, 300), samples);
  expect(await page.locator('#machine-chart .u-legend').textContent()).toContain('machine CPU %');
  expect(await page.locator('#machine-now').textContent()).toMatch(/^machine \d+% · ceiling \d+% · \d+ paused by the governor/);
  const purple = await page.evaluate(() => {
    // Read from a copy: a second getImageData on the chart's own canvas makes Chromium warn (a console problem).
    const c = document.querySelector<HTMLCanvasElement>('#machine-chart canvas')!;
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(c, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - 210) < 30 && Math.abs(data[i + 1]! - 168) < 30 && data[i + 2]! > 220 && data[i + 3]! > 128) n++;
    return n;
  });
  expect(purple, 'pixels of the machine CPU line').toBeGreaterThan(50);
}

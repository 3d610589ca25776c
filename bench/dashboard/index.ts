// The dashboard's three budgets (issue 17), each with a baseline measured in the same run:
//  1. a journal of 100,000 entries → the page's first complete render < 2 s (baseline: the run store's own replay);
//  2. server CPU while following a 16-stream run < 2% of a core (baseline: the writer's own CPU);
//  3. a new journal entry reaches the page < 500 ms, median (baseline: a bare Journal.follow in this process).
// Headless Chromium drives the page. Run alone: flock /tmp/godmode-bench.lock pnpm bench:dashboard
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDashboard } from '../../packages/dashboard/src/index.js';
import { openRun } from '../../packages/run-store/src/index.js';
import { startEntries, syntheticRun, workerEntry } from './synthetic-run.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const here = fileURLToPath(new URL('.', import.meta.url));
// `node --import tsx`: one process, so /proc shows the server's own CPU (the tsx launcher would be a parent).
const runTs = (script: string, args: string[], stdio: 'inherit' | ['ignore', 'pipe', 'inherit']) => spawn(process.execPath, ['--import', 'tsx', join(here, script), ...args], { stdio });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ticks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 a second)
};

const root = mkdtempSync(join(tmpdir(), 'godmode-bench-dashboard-'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
// `--follow-only`: part 2 and 3 alone (the live run), for quick before/after comparisons of the server's CPU.
const followOnly = process.argv.includes('--follow-only');
try {
  // ---- 1. first complete render of a 100,000-entry journal ------------------------------------------
  if (!followOnly) {
    const big = await syntheticRun(join(root, 'runs'), 16);
    await startEntries(big, 16);
    const total = 100_000;
    for (let k = 0; big.journal.stats.entries < total; k++) {
      await Promise.all(Array.from({ length: 16 }, (_, i) => big.journal.append(...(Object.values(workerEntry(i, k)) as [string, unknown]))));
  }
  const lastSeq = (await big.replay()).lastSeq;
  await big.close();
  const replayMs: number[] = [];
  const renderMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    await (await openRun(big.dir)).replay();
    replayMs.push(performance.now() - t);
    const dashboard = await startDashboard({ root: join(root, 'runs') });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    t = performance.now();
    await page.goto(`${dashboard.url}&run=${big.id}`);
    await page.waitForFunction((seq) => document.documentElement.dataset.seq === String(seq) && document.querySelectorAll('.worker canvas').length === 16, lastSeq, { polling: 'raf', timeout: 60_000 });
    renderMs.push(performance.now() - t);
    await page.close();
    await dashboard.close();
  }
  console.log(`journal of ${lastSeq} entries, 16 streams`);
  console.log(`  first complete render: median ${median(renderMs).toFixed(0)} ms (budget 2000)   baseline run-store replay: ${median(replayMs).toFixed(0)} ms   ratio ${(median(renderMs) / median(replayMs)).toFixed(1)}×`);
  }

  // ---- 2 & 3. following a live 16-stream run ----------------------------------------------------------
  const live = await syntheticRun(join(root, 'live'), 16);
  await startEntries(live, 16);
  await live.close();
  const token = 'bench-token-bench-token-bench-token';
  const server = runTs('serve.ts', [join(root, 'live'), token], ['ignore', 'pipe', 'inherit']);
  const url = await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(String(d).trim())));
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${url}&run=${live.id}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1');
  await page.evaluate(() => {
    const log: Array<[number, number]> = [];
    (window as unknown as { seqLog: typeof log }).seqLog = log;
    new MutationObserver(() => log.push([Number(document.documentElement.dataset.seq), Date.now()])).observe(document.documentElement, { attributes: true, attributeFilter: ['data-seq'] });
  });
  // Baseline for latency: a bare follow in this process sees the same entries.
  const appended = new Map<number, number>();
  const followed: number[] = [];
  const stop = new AbortController();
  const store = await openRun(live.dir);
  const following = store.journal.follow((await store.replay()).lastSeq, (e) => {
    appended.set(e.seq, Date.parse(e.at));
    followed.push(Date.now() - Date.parse(e.at));
  }, stop.signal);
  // CPU in windows of 5 s after a 2 s warm-up, the medians reported: one window is at the mercy of whatever else
  // the machine does in it (clock ticks are 10 ms, so a window resolves 0.2% of a core).
  const windows = 6;
  const windowS = 5;
  const seconds = 2 + windows * windowS + 2;
  const writer = runTs('writer.ts', [live.dir, '16', String(seconds)], 'inherit');
  await new Promise((r) => setTimeout(r, 2_000)); // warm-up
  const serverShares: number[] = [];
  const writerShares: number[] = [];
  for (let i = 0; i < windows; i++) {
    const s0 = ticks(server.pid!);
    const w0 = ticks(writer.pid!);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    const elapsed = (performance.now() - t0) / 1000;
    serverShares.push((ticks(server.pid!) - s0) / 100 / elapsed);
    writerShares.push((ticks(writer.pid!) - w0) / 100 / elapsed);
  }
  const serverCpu = median(serverShares);
  const writerCpu = median(writerShares);
  await new Promise<void>((r) => writer.once('exit', () => r()));
  await new Promise((r) => setTimeout(r, 1_000));
  stop.abort();
  await following;
  const log = await page.evaluate(() => (window as unknown as { seqLog: Array<[number, number]> }).seqLog);
  const latencies: number[] = [];
  for (const [seq, at] of appended) {
    const shown = log.find(([s]) => s >= seq);
    if (shown) latencies.push(shown[1] - at);
  }
  console.log(`following a 16-stream run (${appended.size} entries in ${seconds} s, ${(appended.size / seconds).toFixed(0)}/s)`);
  const pcts = (xs: number[]) => xs.map((x) => (x * 100).toFixed(1)).join(' ');
  console.log(`  server CPU: median ${(serverCpu * 100).toFixed(2)}% of a core over ${windows} windows of ${windowS} s [${pcts(serverShares)}] (budget 2%)   baseline the writer's own: median ${(writerCpu * 100).toFixed(2)}% [${pcts(writerShares)}]   ratio ${(serverCpu / Math.max(0.0001, writerCpu)).toFixed(1)}×`);
  console.log(`  entry → page: median ${median(latencies).toFixed(0)} ms over ${latencies.length} entries (budget 500)   baseline bare Journal.follow: median ${median(followed).toFixed(0)} ms   ratio ${(median(latencies) / Math.max(1, median(followed))).toFixed(1)}×`);
  await page.close();
  server.kill('SIGTERM');
  await new Promise<void>((r) => server.once('exit', () => r()));
} finally {
  await browser.close();
  rmSync(root, { recursive: true, force: true });
}

// The supervisor's own cost while watching 50 workers at 1 s sampling, against a baseline that samples with
// systeminformation.processes() each second, measured in the same run. Target: < 3% of one core, < 150 MB RSS.
// Run: pnpm bench:supervisor   (SECONDS=20 WORKERS=50 to change the defaults)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Supervisor } from '../../packages/supervisor/src/index.js';

// systeminformation is the supervisor package's dependency; resolve it from there.
const si = createRequire(new URL('../../packages/supervisor/package.json', import.meta.url))('systeminformation') as typeof import('systeminformation');
const seconds = Number(process.env.SECONDS ?? 20);
const workers = Number(process.env.WORKERS ?? 50);
const ticker = fileURLToPath(new URL('./ticker.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'godmode-bench-supervisor-'));

function measure(): { cpu: NodeJS.CpuUsage; wall: number } {
  return { cpu: process.cpuUsage(), wall: performance.now() };
}
function share(start: { cpu: NodeJS.CpuUsage; wall: number }): number {
  const d = process.cpuUsage(start.cpu);
  return (d.user + d.system) / 1000 / (performance.now() - start.wall);
}

// Workers are started (by the supervisor) before either measurement, so both watch the same 50 processes.
const supervisor = new Supervisor({ samplePeriodMs: 1_000, stallWindowMs: 600_000, cpuCeiling: 1 });
const ids = [];
for (let i = 0; i < workers; i++) {
  ids.push(
    await supervisor.spawn({
      stream: `w${i}`,
      attempt: 1,
      spec: { adapter: 'command', options: { command: [process.execPath, ticker] } },
      workdir: join(root, `w${i}`, 'work'),
      attemptDir: join(root, `w${i}`, 'attempt'),
    }),
  );
}
let events = 0;
const drain = (async () => {
  for await (const _ of supervisor.events()) events++;
})();
await new Promise((r) => setTimeout(r, 2_000));

const rss: number[] = [];
const start = measure();
const rssTimer = setInterval(() => rss.push(process.memoryUsage().rss), 500);
await new Promise((r) => setTimeout(r, seconds * 1000));
const supervisorShare = share(start);
clearInterval(rssTimer);
const supervisorRss = Math.max(...rss) / 2 ** 20;

// Baseline in the same process, with the supervisor's timer stopped.
await supervisor.close();
const base = measure();
for (let i = 0; i < seconds; i++) {
  const t = performance.now();
  await si.processes();
  await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t))));
}
const baselineShare = share(base);

for (const id of ids) {
  try {
    process.kill(-id.pgid, 'SIGKILL');
  } catch {}
}
await drain;
console.log(`supervisor watching ${workers} workers for ${seconds} s at 1 s sampling (${events} events):`);
console.log(`  supervisor CPU: ${(supervisorShare * 100).toFixed(2)}% of one core, peak RSS ${supervisorRss.toFixed(0)} MB`);
console.log(`  baseline systeminformation.processes() each second: ${(baselineShare * 100).toFixed(2)}% of one core`);
console.log(`  ratio supervisor/baseline: ${(supervisorShare / baselineShare).toFixed(3)}`);
console.log(`  target < 3% and < 150 MB → ${supervisorShare < 0.03 && supervisorRss < 150 ? 'met' : 'NOT met'}`);
process.exit(0);

// The supervisor's own cost while watching 50 workers at 1 s sampling, through each process table — /proc (the
// Linux fast path) and ps (the portable one macOS uses) — against a baseline that samples with
// systeminformation.processes() each second, all measured in the same run. Targets: /proc < 3% of one core,
// ps < 5%, < 150 MB RSS. CPU includes the `ps` children both ps and the baseline run.
// Run: pnpm bench:supervisor   (SECONDS=20 WORKERS=50 WINDOWS=5 TABLES=proc,ps to change the defaults)
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { procTable, psTable, Supervisor, type ProcessTable } from '../../packages/supervisor/src/index.js';

// systeminformation is the supervisor package's dependency; resolve it from there.
const si = createRequire(new URL('../../packages/supervisor/package.json', import.meta.url))('systeminformation') as typeof import('systeminformation');
const seconds = Number(process.env.SECONDS ?? 20);
const workers = Number(process.env.WORKERS ?? 50);
const ticker = fileURLToPath(new URL('./ticker.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'godmode-bench-supervisor-'));

const windows = Number(process.env.WINDOWS ?? 5);

// CPU of children this process waited for (cutime + cstime, in clock ticks of 10 ms): systeminformation
// runs `ps` for processes(), and that cost belongs to the baseline. The workers do not exit while measured.
function waitedChildrenMs(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}
function measure(): { cpu: NodeJS.CpuUsage; children: number; wall: number } {
  return { cpu: process.cpuUsage(), children: waitedChildrenMs(), wall: performance.now() };
}
function share(start: { cpu: NodeJS.CpuUsage; children: number; wall: number }): number {
  const d = process.cpuUsage(start.cpu);
  return ((d.user + d.system) / 1000 + (waitedChildrenMs() - start.children)) / (performance.now() - start.wall);
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Starts the workers under a supervisor reading `table`, measures it, ends the workers. */
async function watch(table: ProcessTable): Promise<{ share: number; shares: number[]; rss: number; events: number }> {
  const supervisor = new Supervisor({ samplePeriodMs: 1_000, stallWindowMs: 600_000, cpuCeiling: 1, processTable: table });
  const ids = [];
  for (let i = 0; i < workers; i++) {
    ids.push(
      await supervisor.spawn({
        stream: `w${i}`,
        attempt: 1,
        spec: { adapter: 'command', options: { command: [process.execPath, ticker] } },
        workdir: join(root, table.kind, `w${i}`, 'work'),
        attemptDir: join(root, table.kind, `w${i}`, 'attempt'),
      }),
    );
  }
  let events = 0;
  const drain = (async () => {
    for await (const _ of supervisor.events()) events++;
  })();
  await new Promise((r) => setTimeout(r, 2_000));
  // The measured time is cut into windows so the figure is a median, not one sample of a noisy machine.
  const rss: number[] = [];
  const rssTimer = setInterval(() => rss.push(process.memoryUsage().rss), 500);
  const shares: number[] = [];
  for (let w = 0; w < windows; w++) {
    const start = measure();
    await new Promise((r) => setTimeout(r, (seconds * 1000) / windows));
    shares.push(share(start));
  }
  clearInterval(rssTimer);
  await supervisor.close();
  await drain;
  for (const id of ids) {
    try {
      process.kill(-id.pgid, 'SIGKILL');
    } catch {}
  }
  return { share: median(shares), shares, rss: Math.max(...rss) / 2 ** 20, events };
}

const tables = (process.env.TABLES ?? 'proc,ps').split(',').map((t) => (t === 'ps' ? psTable : procTable));
const results: Array<{ table: ProcessTable; result: Awaited<ReturnType<typeof watch>> }> = [];
for (const table of tables) results.push({ table, result: await watch(table) });

// Baseline in the same process, with no supervisor running.
const baselineShares: number[] = [];
for (let w = 0; w < windows; w++) {
  const base = measure();
  for (let i = 0; i < seconds / windows; i++) {
    const t = performance.now();
    await si.processes();
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t))));
  }
  baselineShares.push(share(base));
}
const baselineShare = median(baselineShares);

const targets: Record<ProcessTable['kind'], number> = { proc: 0.03, ps: 0.05 };
console.log(`supervisor watching ${workers} workers for ${seconds} s at 1 s sampling, per process table:`);
for (const { table, result } of results) {
  console.log(`  ${table.kind.padEnd(4)} CPU: median ${pct(result.share)} of one core over ${windows} windows (${result.shares.map(pct).join(', ')}), peak RSS ${result.rss.toFixed(0)} MB, ${result.events} events`);
  console.log(`       ratio to baseline ${(result.share / baselineShare).toFixed(3)}; target < ${pct(targets[table.kind])} and < 150 MB → ${result.share < targets[table.kind] && result.rss < 150 ? 'met' : 'NOT met'}`);
}
console.log(`  baseline systeminformation.processes() each second: median ${pct(baselineShare)} (${baselineShares.map(pct).join(', ')})`);
console.log(`  machine: load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`);
process.exit(0);

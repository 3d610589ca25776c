// The seed incident on this machine: 4 workers, 3 of them CPU-hot writing their deliverables over ~20 s, an 80%
// ceiling. Reports the share of /proc/stat samples at or under ceiling + 10 points once the governor first acts,
// pauses, resumes and kills (target: ≥ 90% of samples, 0 kills, all 4 finish). Run on a quiet machine:
//   pnpm bench:governor        (GODMODE_PROCESS_TABLE=ps pnpm bench:governor: through the portable table)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor, SystemCpu, type SupervisorEvent as WorkerEvent } from '../../packages/supervisor/src/index.js';

const worker = fileURLToPath(new URL('../../packages/supervisor/test/fixtures/worker.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'godmode-bench-governor-'));
const ceiling = 0.8;
const supervisor = new Supervisor({ samplePeriodMs: 500, cpuCeiling: ceiling, stallWindowMs: 600_000 });
const events: WorkerEvent[] = [];
const drained = (async () => {
  for await (const e of supervisor.events()) events.push(e);
})();

const spawn = (stream: string, args: string[]) =>
  supervisor.spawn({ stream, attempt: 1, spec: { adapter: 'command', options: { command: [process.execPath, worker, ...args] } }, workdir: join(root, stream), attemptDir: join(root, `${stream}-attempt`), env: { GODMODE_WORKDIR: join(root, stream) } });
const hot = await Promise.all([1, 2, 3].map((i) => spawn(`hot-${i}`, ['hot-writer', '10', '20'])));
const cool = await spawn('cool', ['silent-writer']);

const cpu = new SystemCpu();
const samples: Array<{ t: number; load: number }> = [];
cpu.sample();
const sampler = setInterval(() => {
  const load = cpu.sample();
  if (load !== null) samples.push({ t: performance.timeOrigin + performance.now(), load });
}, 250);
const started = Date.now();
while (hot.some((h) => !events.some((e) => e.type === 'exited' && e.worker.pid === h.pid)) && Date.now() - started < 300_000) {
  await new Promise((r) => setTimeout(r, 200));
}
clearInterval(sampler);
const reapsDuringRun = events.filter((e) => e.type === 'reaped').length;
// The cool worker writes forever; the bench ends it once the hot ones are done, which is not a governor kill.
await supervisor.reap(cool, { graceMs: 500 });
await supervisor.close();
await drained;

const firstPause = events.find((e) => e.type === 'paused');
const after = firstPause ? samples.filter((s) => s.t >= firstPause.t) : [];
const under = after.filter((s) => s.load <= ceiling + 0.1).length;
const exits = events.filter((e): e is Extract<WorkerEvent, { type: 'exited' }> => e.type === 'exited' && hot.some((h) => h.pid === e.worker.pid));
const sorted = after.map((s) => s.load).sort((a, b) => a - b);
console.log(`incident replay (${supervisor.processTableKind} table): 3 hot workers + 1 cool, ceiling ${ceiling * 100}%, ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`  pauses ${events.filter((e) => e.type === 'paused').length}, resumes ${events.filter((e) => e.type === 'resumed').length}, reaps while the hot workers ran ${reapsDuringRun} (the cool worker is reaped by the bench afterwards)`);
console.log(`  hot workers finished with exit 0: ${exits.filter((e) => e.exitCode === 0).length} of 3`);
console.log(`  machine CPU after the first pause: median ${((sorted[Math.floor(sorted.length / 2)] ?? 0) * 100).toFixed(0)}%, ${after.length} samples`);
console.log(`  samples ≤ ceiling + 10 points: ${after.length ? ((under / after.length) * 100).toFixed(1) : 'n/a'}% (target ≥ 90%)`);
process.exit(0);

// CLI start-up benchmark: `godmode --version` and `godmode --help`, cold (a new process each run), against
// `node -e 0` measured in the same run, interleaved so machine load hits all three alike.
// Target: `godmode --version` <= 3x `node -e 0`.
// Run: flock /tmp/godmode-bench.lock pnpm bench:cli-startup   (RUNS=20 for more runs; builds the CLI if needed)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${repo}apps/godmode/bin/run.js`;
const runs = Math.max(10, Number(process.env.RUNS ?? 15));

if (!existsSync(`${repo}apps/godmode/dist/main.js`)) {
  process.stdout.write('apps/godmode/dist is missing: building the CLI first (pnpm exec turbo run build --filter godmode...)\n');
  spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter', 'godmode...', '--output-logs=errors-only'], { cwd: repo, stdio: 'inherit' });
}

const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'godmode --version': [bin, '--version'],
  'godmode --help': [bin, '--help'],
};

/** Wall time of one cold process, in ms; also checks it succeeded, so a broken build is not a fast one. */
function once(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${String(result.stderr).slice(0, 400)}`);
  return ms;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// One warm-up of each (the file cache), then interleaved rounds.
for (const args of Object.values(cases)) once(args);
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round < runs; round += 1) {
  for (const [name, args] of Object.entries(cases)) samples[name]!.push(once(args));
}

const baseline = median(samples['node -e 0']!);
process.stdout.write(`cli-startup: ${runs} cold runs each, interleaved; node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}\n`);
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  const ratio = m / baseline;
  process.stdout.write(`  ${name.padEnd(18)} median ${m.toFixed(1).padStart(7)} ms  min ${Math.min(...xs).toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x node -e 0\n`);
}
const versionRatio = median(samples['godmode --version']!) / baseline;
process.stdout.write(`target: godmode --version <= 3x node -e 0 → ${versionRatio.toFixed(2)}x ${versionRatio <= 3 ? '(met)' : '(NOT met)'}\n`);

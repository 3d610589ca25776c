// CLI start-up benchmark: the commands people run all day, cold (a new process each run), against `node -e 0`
// measured in the same run, interleaved so machine load hits them all alike.
// Target: every measured command <= 3x `node -e 0` (median).
// Run: flock /tmp/godmode-bench.lock pnpm bench:cli-startup   (RUNS=20 for more runs; builds the CLI if needed)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${repo}apps/godmode/bin/run.js`;
const runs = Math.max(9, Number(process.env.RUNS ?? 15));

if (!existsSync(`${repo}apps/godmode/dist/main.js`) || !existsSync(`${repo}apps/godmode/oclif.manifest.json`)) {
  process.stdout.write('apps/godmode is not built: building the CLI first (pnpm exec turbo run build --filter godmode...)\n');
  spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter', 'godmode...', '--output-logs=errors-only'], { cwd: repo, stdio: 'inherit' });
}

// A project with one finished run, so `ls` and `status` read a real run (one command stream, a second or two).
const project = mkdtempSync(join(tmpdir(), 'godmode-bench-cli-'));
mkdirSync(join(project, 'plan'));
writeFileSync(join(project, 'plan', 'worker.mjs'), "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('out', { recursive: true });\nwriteFileSync('out/a.txt', 'a\\n');\n");
writeFileSync(
  join(project, 'plan', 'plan.yaml'),
  [
    'name: bench-cli-startup',
    'repo: false',
    'settings: { samplePeriodMs: 200, stallWindowMs: 5000, budgetMs: 60000, reapGraceMs: 500, maxAttempts: 1, leaseTtlMs: 1000, canaries: 0 }',
    'phases:',
    '  - id: one',
    '    streams:',
    '      - id: a',
    `        worker: { adapter: command, options: { command: 'node "$GODMODE_PLAN_DIR/worker.mjs"' } }`,
    '        deliverables: ["out/a.txt"]',
    '',
  ].join('\n'),
);
const seeded = spawnSync(process.execPath, [bin, 'orchestra', 'run', join(project, 'plan', 'plan.yaml'), '--cwd', project], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
if (seeded.status !== 0) throw new Error(`seeding a run failed (exit ${seeded.status}): ${seeded.stderr.slice(-600)}`);

const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'godmode --version': [bin, '--version'],
  'godmode --help': [bin, '--help'],
  'orchestra ls --json': [bin, 'orchestra', 'ls', '--json', '--cwd', project],
  'orchestra status --json': [bin, 'orchestra', 'status', '--json', '--cwd', project],
  'orchestra run --help': [bin, 'orchestra', 'run', '--help'],
};

/** Wall time of one cold process, in ms; also checks it succeeded, so a broken build is not a fast one. */
function once(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${String(result.stderr).slice(0, 400)}`);
  return ms;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

try {
  // One warm-up of each (the file cache, Node's compile cache), then interleaved rounds.
  for (const args of Object.values(cases)) once(args);
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < runs; round += 1) {
    for (const [name, args] of Object.entries(cases)) samples[name]!.push(once(args));
  }

  const baseline = median(samples['node -e 0']!);
  process.stdout.write(`cli-startup: ${runs} cold runs each, interleaved; node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}\n`);
  const over: string[] = [];
  for (const [name, xs] of Object.entries(samples)) {
    const m = median(xs);
    const ratio = m / baseline;
    if (name !== 'node -e 0' && ratio > 3) over.push(`${name} ${ratio.toFixed(2)}x`);
    process.stdout.write(`  ${name.padEnd(24)} median ${m.toFixed(1).padStart(7)} ms  min ${Math.min(...xs).toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x node -e 0\n`);
  }
  process.stdout.write(`target: every command <= 3x node -e 0 → ${over.length ? `NOT met: ${over.join(', ')}` : 'met'}\n`);
} finally {
  rmSync(project, { recursive: true, force: true });
}

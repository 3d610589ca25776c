#!/usr/bin/env node
// Runs every test project once and ends with the plain `N passed, N failed` line CI reads.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

ensureSystemTools();

const report = '.test-report.json';
rmSync(report, { force: true });
const args = ['exec', 'vitest', 'run', '--reporter=default', `--reporter=json`, `--outputFile.json=${report}`, ...process.argv.slice(2)];
// Every process the suite starts inherits this mark (workers too: the supervisor passes the environment on),
// so after the run /proc tells whether anything it started is still running.
const suiteMark = randomUUID();
const result = spawnSync('pnpm', args, { stdio: 'inherit', env: { ...process.env, GODMODE_TEST_SUITE: suiteMark } });

let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + countFilesThatFailedToRun(json);
} catch {
  failed = Math.max(failed, 1);
  console.error('The test run wrote no readable report; counting the run as failed.');
}
if (result.status !== 0 && failed === 0) failed = 1;
// CI's smoke run on another Node (.ci/run) adds its counts here, so the last line covers both.
if (process.env.GODMODE_EXTRA_REPORT) {
  try {
    const extra = JSON.parse(readFileSync(process.env.GODMODE_EXTRA_REPORT, 'utf8'));
    console.log(`smoke run on Node ${extra.node}: ${extra.passed} passed, ${extra.failed} failed`);
    passed += extra.passed;
    failed += extra.failed;
  } catch {
    failed += 1;
    console.error(`No readable smoke report at ${process.env.GODMODE_EXTRA_REPORT}; counting the smoke run as failed.`);
  }
}
const left = await leftBehind(suiteMark);
if (left.length > 0) {
  failed += 1;
  console.error(`The suite left ${left.length} process(es) running (now killed):`);
  for (const { pid, command } of left) {
    console.error(`  ${pid} ${command}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
} else {
  passed += 1;
  console.log('No process started by the suite is still running.');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

// Live (not zombie) processes carrying the suite's mark, after a short grace for ones already ending.
async function leftBehind(mark) {
  const needle = `GODMODE_TEST_SUITE=${mark}`;
  let found = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    found = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
        if (!readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) continue;
        const command = readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0').join(' ').trim().slice(0, 200);
        found.push({ pid: Number(name), command });
      } catch {
        // gone, or not ours to read
      }
    }
    if (found.length === 0) return found;
    await new Promise((r) => setTimeout(r, 300));
  }
  return found;
}

// A test file that failed to load or crashed has no failed test of its own: count it once.
function countFilesThatFailedToRun(json) {
  return (json.testResults ?? []).filter((s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}

// Tests drive real tools: Chromium renders the HTML receipt and the pages, tmux drives `godmode chat`, PostgreSQL. On a machine
// where we are root with apt-get (CI, a fresh dev box) they are installed from Debian's packages.
function ensureSystemTools() {
  const wanted = [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/tmux', 'tmux'],
    // Debian's PostgreSQL 15 for the account's concurrent tests and the fleet (each test starts its own cluster).
    ['/usr/lib/postgresql/15/bin/initdb', 'postgresql-15'],
    // Network namespaces: several fleet hosts on one machine.
    ['/usr/sbin/ip', 'iproute2'],
  ].filter(([path]) => !existsSync(path));
  if (wanted.length === 0) return;
  const packages = wanted.map(([, name]) => name);
  if (process.getuid?.() !== 0 || spawnSync('which', ['apt-get']).status !== 0) {
    console.warn(`Not installed: ${packages.join(', ')}. Tests that need them will say so; install them with your package manager.`);
    return;
  }
  console.log(`> apt-get install ${packages.join(' ')}`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) console.warn(`apt-get could not install ${packages.join(', ')}; tests that need them will fail and say why.`);
}

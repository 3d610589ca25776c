#!/usr/bin/env node
// Sets a fresh clone up and runs one of the README's jobs with the right tools:
//   node scripts/bootstrap.mjs quickstart | test [args…] | smoke | setup
// The right Node: the one running this when it is ≥ 22.12, else Node 24 from the npm registry (the `node`
// package) installed into `.tools/` (ignored), which then runs everything. pnpm comes the same way when
// missing (corepack's signature check fails on some images). Then the workspace's packages and a build.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = '10.34.8';
const NODE_MAJOR = process.env.GODMODE_BOOTSTRAP_NODE ?? '24';
const TOOLS = join(ROOT, '.tools', `node${NODE_MAJOR}`);
const TOOLS_BIN = join(TOOLS, 'node_modules', '.bin');

const [job = 'setup', ...rest] = process.argv.slice(2);

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

function supported(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

function run(cmd, args, env = process.env) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  try {
    execFileSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env });
  } catch (error) {
    fail(`\n'${cmd} ${args.join(' ')}' failed (exit ${error.status ?? 'unknown'}). Fix the problem it printed above and run the command again.`, error.status || 1);
  }
}

// 1. Node. A forced major (GODMODE_BOOTSTRAP_NODE, used by CI's smoke run on 22) or an old Node gets its own copy.
const wantOwnNode = process.env.GODMODE_BOOTSTRAP_NODE !== undefined || !supported(process.version);
if (wantOwnNode && !process.env.GODMODE_BOOTSTRAPPED) {
  const nodeBin = join(TOOLS, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(nodeBin) || !existsSync(join(TOOLS_BIN, 'pnpm'))) {
    console.log(`Node ${process.version} is older than 22.12: installing Node ${NODE_MAJOR} and pnpm ${PNPM} into .tools/ (once).`);
    mkdirSync(TOOLS, { recursive: true });
    writeFileSync(join(TOOLS, 'package.json'), JSON.stringify({ private: true }) + '\n');
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', TOOLS, `node@${NODE_MAJOR}`, `pnpm@${PNPM}`], { stdio: 'inherit', cwd: ROOT });
    if (r.status !== 0 || !existsSync(nodeBin)) fail(`Could not install Node ${NODE_MAJOR} from the npm registry (npm exited ${r.status}). Install Node 22.12 or newer yourself and run the command again.`);
  } else {
    console.log(`Node ${process.version} is older than 22.12 (or another was asked for): using Node ${NODE_MAJOR} from .tools/.`);
  }
  const env = { ...process.env, GODMODE_BOOTSTRAPPED: '1', PATH: [join(TOOLS, 'node_modules', 'node', 'bin'), TOOLS_BIN, process.env.PATH].join(delimiter) };
  const r = spawnSync(nodeBin, [fileURLToPath(import.meta.url), job, ...rest], { stdio: 'inherit', env, cwd: ROOT });
  process.exit(r.status ?? 1);
}

// 2. pnpm.
const pnpmVersion = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
if (pnpmVersion.status !== 0 || !pnpmVersion.stdout.trim().startsWith('10.')) {
  mkdirSync(TOOLS, { recursive: true });
  writeFileSync(join(TOOLS, 'package.json'), JSON.stringify({ private: true }) + '\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', TOOLS, `pnpm@${PNPM}`]);
  process.env.PATH = [TOOLS_BIN, process.env.PATH].join(delimiter);
}

// 3. The workspace and a build.
run('pnpm', ['install', '--frozen-lockfile=false', '--prefer-offline']);
run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);

// 4. The job, with this Node first on PATH for every child.
const cli = ['apps/godmode/bin/run.js'];
const jobs = {
  setup: [],
  quickstart: [
    [process.execPath, [...cli, 'orchestra', 'demo']],
    // The example is built to end 2 of 3 shipped, so its exit code is 1 (a failed outcome, as designed).
    [process.execPath, [...cli, 'orchestra', 'run', 'examples/three-streams/plan.yaml'], [0, 1]],
  ],
  test: [[process.execPath, ['scripts/test.mjs', ...rest]]],
  smoke: [[process.execPath, ['scripts/smoke.mjs', ...rest]]],
};
if (!(job in jobs)) fail(`Unknown job '${job}'. Use one of: ${Object.keys(jobs).join(', ')}.`, 2);
const env = { ...process.env, PATH: [dirname(process.execPath), process.env.PATH].join(delimiter) };
for (const [cmd, args, accepted = [0]] of jobs[job]) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env });
  if (!accepted.includes(r.status)) process.exit(r.status ?? 1);
}

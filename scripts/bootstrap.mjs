#!/usr/bin/env node
// Sets a fresh clone up: the right Node, pnpm (installed through npm when missing, because
// corepack's signature check fails on some Node 20 images), the workspace's packages, and a build.
import { execFileSync, spawnSync } from 'node:child_process';

const PNPM = '10.34.8';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`godmode needs Node 20.19 or newer; this is ${process.version}. Install a newer Node and run the command again.`);
  process.exit(1);
}

function has(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function run(cmd, args) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  try {
    execFileSync(cmd, args, { stdio: 'inherit' });
  } catch (error) {
    console.error(`\n'${cmd} ${args.join(' ')}' failed (exit ${error.status ?? 'unknown'}). Fix the problem it printed above and run the command again.`);
    process.exit(error.status || 1);
  }
}

const pnpmVersion = has('pnpm', ['--version']);
if (!pnpmVersion || !pnpmVersion.startsWith('10.')) {
  run('npm', ['install', '--global', `pnpm@${PNPM}`]);
}
run('pnpm', ['install', '--frozen-lockfile=false', '--prefer-offline']);
run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);

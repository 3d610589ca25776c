// What installing godmode brings: apps/godmode and every workspace package it depends on (transitively, read from
// the package.json files, so a new one is never left out) packed, since the @godmode/* packages are not on the
// registry from here; then all the tarballs installed together into a fresh folder from the npm registry,
// deduplicated as `npm i -g godmode` would once they are published. Prints the package count and the size on
// disk (target < 40 MB), and runs the installed CLI (`--help`, `plugins`) so a light install is a working one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'godmode-install-size-'));

/** Workspace folder of each @godmode/* package (and of godmode itself), by name. */
const folders = new Map<string, string>();
for (const parent of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, parent))) {
    try {
      folders.set(JSON.parse(readFileSync(join(root, parent, name, 'package.json'), 'utf8')).name, join(root, parent, name));
    } catch {
      // not a package
    }
  }
}
/** godmode and the workspace packages among its runtime dependencies, transitively. */
const needed = new Set<string>();
const visit = (name: string) => {
  const folder = folders.get(name);
  if (!folder || needed.has(name)) return;
  needed.add(name);
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
};
visit('godmode');

try {
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs);
  for (const name of needed) execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: folders.get(name)!, stdio: 'ignore' });
  const prefix = join(dir, 'prefix');
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], { stdio: 'inherit', cwd: prefix });
  const modules = join(prefix, 'node_modules');
  const bytes = Number(execFileSync('du', ['-sb', modules], { encoding: 'utf8' }).split('\t')[0]);
  const count = Number(execFileSync('sh', ['-c', `find "${modules}" -name package.json -not -path '*/node_modules/*/node_modules/*/*/*' | xargs grep -l '"version"' | wc -l`], { encoding: 'utf8' }).trim());
  const heaviest = execFileSync('sh', ['-c', `cd "${modules}" && du -sb $(ls -d * @*/* | grep -v '^@[^/]*$') 2>/dev/null | sort -rn | head -8`], { encoding: 'utf8' });
  // The installed CLI works: help lists the commands, and `plugins` (bundled @oclif/plugin-plugins) answers.
  const bin = join(modules, 'godmode/bin/run.js');
  const home = join(dir, 'home');
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1' };
  const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env, cwd: dir });
  const plugins = execFileSync(process.execPath, [bin, 'plugins'], { encoding: 'utf8', env, cwd: dir });
  if (!/orchestra/.test(help) || !/plugins/.test(help)) throw new Error(`the installed CLI's --help lists no orchestra or plugins commands:\n${help}`);
  console.log(`packed: ${[...needed].sort().join(', ')}`);
  console.log(`godmode installed from the packed workspace: ${count} package.json files, ${(bytes / 1e6).toFixed(1)} MB (target < 40 MB)`);
  console.log('heaviest:\n' + heaviest.split('\n').filter(Boolean).map((l) => { const [b, p] = l.split('\t'); return `  ${(Number(b) / 1e6).toFixed(1)} MB  ${p}`; }).join('\n'));
  console.log(`the installed CLI: --help lists the commands; \`godmode plugins\` says: ${plugins.trim().split('\n')[0]}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

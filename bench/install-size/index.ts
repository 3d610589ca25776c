// What installing godmode brings: every workspace package packed (the @godmode/* packages are not on the registry
// from here), then all the tarballs installed together into a fresh folder from the npm registry, deduplicated as
// `npm i -g godmode` would once they are published. Prints the package count and the size on disk (target < 40 MB).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'godmode-install-size-'));
const tarballs = join(dir, 'tarballs');
mkdirSync(tarballs);
const packages = ['packages/protocol', 'packages/run-store', 'packages/supervisor', 'packages/reconciler', 'packages/scorer', 'packages/auth', 'packages/worktrees', 'packages/dashboard', 'packages/cli', 'apps/godmode'];
for (const p of packages) {
  try {
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, p), stdio: 'ignore' });
  } catch {
    // a package this checkout does not have yet
  }
}
const prefix = join(dir, 'prefix');
mkdirSync(prefix);
writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
const files = readdirSync(tarballs).map((f) => join(tarballs, f));
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], { stdio: 'inherit', cwd: prefix });
const modules = join(prefix, 'node_modules');
const bytes = Number(execFileSync('du', ['-sb', modules], { encoding: 'utf8' }).split('\t')[0]);
const count = Number(execFileSync('sh', ['-c', `find "${modules}" -name package.json -not -path '*/node_modules/*/node_modules/*/*/*' | xargs grep -l '"version"' | wc -l`], { encoding: 'utf8' }).trim());
const heaviest = execFileSync('sh', ['-c', `cd "${modules}" && du -sb $(ls -d * @*/* | grep -v '^@[^/]*$') 2>/dev/null | sort -rn | head -8`], { encoding: 'utf8' });
console.log(`godmode installed from the packed workspace: ${count} package.json files, ${(bytes / 1e6).toFixed(1)} MB (target < 40 MB)`);
console.log('heaviest:\n' + heaviest.split('\n').filter(Boolean).map((l) => { const [b, p] = l.split('\t'); return `  ${(Number(b) / 1e6).toFixed(1)} MB  ${p}`; }).join('\n'));
rmSync(dir, { recursive: true, force: true });

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// A library user installs @godmode/auth without its devDependencies: PGlite (the stand-in's database) is not
// there. The public entry's published types must still type-check with `skipLibCheck: false`.
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(pkgDir, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'godmode-auth-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 32 << 20, timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout + stderr }),
    );
  });
}

const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);

describe('@godmode/auth as a library user installs it', { timeout: 300_000 }, () => {
  it('its public entry type-checks (skipLibCheck false) with no PGlite in node_modules, and does not export the stand-in', async () => {
    // Build into a folder of our own (the package's dist is left alone), as `pnpm build` would.
    const installed = join(tmp, 'consumer/node_modules/@godmode/auth');
    mkdirSync(installed, { recursive: true });
    const built = await run(bin('tsup'), ['--out-dir', join(installed, 'dist'), '--silent'], pkgDir);
    expect(built.code, built.out).toBe(0);
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    cpSync(join(pkgDir, 'package.json'), join(installed, 'package.json'));
    // Only what an install brings: the dependencies, never the devDependencies.
    for (const dep of Object.keys(manifest.dependencies)) {
      const target = join(installed, 'node_modules', dep);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(realpathSync(join(pkgDir, 'node_modules', dep)), target);
    }
    for (const dev of Object.keys(manifest.devDependencies)) expect(existsSync(join(installed, 'node_modules', dev))).toBe(false);
    const types = join(tmp, 'consumer/node_modules/@types/node');
    mkdirSync(dirname(types), { recursive: true });
    symlinkSync(realpathSync(join(repoRoot, 'node_modules/@types/node')), types);

    const consumer = join(tmp, 'consumer');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', lib: ['ES2023', 'DOM'], types: ['node'], skipLibCheck: false, noEmit: true }, files: ['use.ts'] }),
    );
    writeFileSync(
      join(consumer, 'use.ts'),
      [
        "import * as auth from '@godmode/auth';",
        "import { TokenStore, redactCredentials, installSkill, type Identity } from '@godmode/auth';",
        'const store: TokenStore | null = null;',
        "const clean: string = redactCredentials('postgres://u:p@h/db');",
        'const who: Identity | null = null;',
        'void [store, clean, who, installSkill];',
        "// @ts-expect-error the stand-in is test support, not the public entry",
        'void auth.startSupabaseStandIn;',
        '',
      ].join('\n'),
    );
    const checked = await run(bin('tsc'), ['-p', consumer], consumer);
    expect(checked.out).not.toMatch(/pglite/i);
    expect(checked.code, checked.out).toBe(0);
    // The stand-in lives on its own subpath, for tests.
    const exportsField = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
    expect(Object.keys(exportsField)).toContain('./stand-in');
    const publicTypes = readFileSync(join(installed, 'dist/index.d.ts'), 'utf8');
    expect(publicTypes).not.toMatch(/from ['"]@electric-sql\/pglite['"]/);
    expect(publicTypes).not.toMatch(/startSupabaseStandIn|lintDatabase/);
    expect(readFileSync(join(installed, 'dist/stand-in.d.ts'), 'utf8')).toMatch(/startSupabaseStandIn/);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a library user gets from npm: the packed tarballs installed into a fresh folder outside the repository,
// used through `require()` and through `import`, and type-checked with `skipLibCheck: false`.
const root = resolve(import.meta.dirname, '../../..');
const libraries = ['protocol', 'run-store', 'reconciler', 'supervisor', 'scorer'];
let dir: string;

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'godmode-packaging-'));
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs);
  for (const name of libraries) sh('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', name));
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-godmode', private: true, version: '1.0.0' }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files, 'typescript@~5.9.3', '@types/node@^22'], app);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const uses = (load: string) => `
${load}
const plan = protocol.parsePlan({ name: 'p', phases: [{ id: 'a', streams: [{ id: 's', worker: { adapter: 'command', options: { command: 'true' } }, deliverables: ['x.txt'] }] }] });
if (plan.phases[0].streams[0].id !== 's') throw new Error('protocol');
if (typeof reconciler.reconcile !== 'function' || typeof reconciler.classifyStatus !== 'function') throw new Error('reconciler');
if (typeof supervisor.Supervisor !== 'function') throw new Error('supervisor');
if (typeof scorer.scoreRun !== 'function' || typeof scorer.playGame !== 'function') throw new Error('scorer');
if (typeof runStore.createRun !== 'function') throw new Error('run-store');
console.log('ok');
`;

describe('the published packages, installed from their tarballs', { timeout: 120_000 }, () => {
  it('load through require() and through import', () => {
    const app = join(dir, 'app');
    const names = { protocol: '@godmode/protocol', reconciler: '@godmode/reconciler', supervisor: '@godmode/supervisor', scorer: '@godmode/scorer', runStore: '@godmode/run-store' };
    const requires = Object.entries(names).map(([v, n]) => `const ${v} = require('${n}');`).join('\n');
    const imports = Object.entries(names).map(([v, n]) => `import * as ${v} from '${n}';`).join('\n');
    writeFileSync(join(app, 'uses.cjs'), uses(requires));
    writeFileSync(join(app, 'uses.mjs'), uses(imports));
    expect(sh(process.execPath, ['uses.cjs'], app).trim()).toBe('ok');
    expect(sh(process.execPath, ['uses.mjs'], app).trim()).toBe('ok');
  });

  it('type-check with skipLibCheck: false', () => {
    const app = join(dir, 'app');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['check.ts'] }),
    );
    writeFileSync(
      join(app, 'check.ts'),
      `import { parsePlan, type Plan, type Verdict } from '@godmode/protocol';
import { reconcile } from '@godmode/reconciler';
import { Supervisor } from '@godmode/supervisor';
import { scoreRun } from '@godmode/scorer';
import { createRun } from '@godmode/run-store';
const plan: Plan = parsePlan('name: p\\nphases: []\\n', 'p.yaml');
export const used: unknown[] = [plan, reconcile, Supervisor, scoreRun, createRun];
export type V = Verdict['status'];
`,
    );
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-godmode', private: true, version: '1.0.0', type: 'module' }));
    let out = '';
    try {
      out = sh(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    } catch (error) {
      out = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(out).toBe('');
  });
});

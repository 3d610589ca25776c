import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startModelStandIn, type ModelStandIn, type Turn } from '../../../model-stand-in/src/index.js';
import { gitRepo, orchestra, sandbox, type Sandbox } from './support/cli.js';

// Acceptance: a plan written by `init` runs — the real `godmode` binary, its conductor, real Claude Code through
// the model stand-in, git worktrees of the fixture repository — to a receipt.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'apps/godmode/bin/run.js');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The binary runs from dist; build it if it is missing (CI builds before testing). */
function ensureBuilt(): void {
  if (existsSync(join(repoRoot, 'apps/godmode/dist/main.js'))) return;
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

describe('a plan from orchestra init', { timeout: 300_000 }, () => {
  it('runs through the model stand-in to a receipt on an npm repository', async () => {
    ensureBuilt();
    const streams = ['recon', 'builder-1', 'test', 'harden', 'document'];
    // One stream at a time (seed with --streams 1), so the script's turns go to the streams in order.
    const script: Turn[] = streams.flatMap((s) => [{ tool: { name: 'Write', input: { file_path: `notes/${s}.md`, content: `# ${s}\n` } } }, { text: `wrote notes/${s}.md` }]);
    const standIn: ModelStandIn = await startModelStandIn({ script });
    const box: Sandbox = sandbox(standIn.url);
    cleanups.push(() => standIn.close(), () => box.dispose());
    const repo = join(box.root, 'shop');
    await gitRepo(repo, {
      'package.json': JSON.stringify({ name: 'shop', version: '1.0.0', scripts: { test: 'node --test' } }),
      'package-lock.json': JSON.stringify({ name: 'shop', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'shop', version: '1.0.0' } } }),
      'src/index.js': 'export {}\n',
    });
    const init = await orchestra(['init', '--streams', '1'], repo, box.env);
    expect(init.exitCode, String(init.stderr)).toBe(0);
    const plan = readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8');
    expect(plan).toMatch(/^setup: npm ci$/m);
    expect(plan).toMatch(/^test: npm test$/m);
    expect((await orchestra(['validate', 'godmode.plan.yaml'], repo, box.env)).exitCode).toBe(0);

    const run = await execa(process.execPath, [bin, 'orchestra', 'run', 'godmode.plan.yaml', '--json'], { cwd: repo, env: box.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 240_000 });
    expect(run.exitCode, String(run.stderr).slice(-2000)).toBe(0);
    const outcome = String(run.stdout)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((event) => event.type === 'outcome');
    expect(outcome).toMatchObject({ shipped: 5, streams: 5 });
    const receipt = readFileSync(String(outcome!.receiptFile), 'utf8');
    for (const stream of streams) expect(receipt).toMatch(new RegExp(`\\| ${stream} \\|.*shipped`));
    expect(standIn.messageRequests).toHaveLength(10);
    // The user's checkout: still on main, with only the plan it asked for as a new file.
    const status = await execa('git', ['status', '--porcelain'], { cwd: repo, env: box.env });
    expect(String(status.stdout)).toBe('?? godmode.plan.yaml');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, sandbox, type Sandbox } from './support/cli.js';

// `orchestra run` validates the plan as `orchestra validate` does before anything exists: the real `godmode`
// binary, a plan whose two streams of one phase may write the same file — exit 2, the problem named by file and
// path, and nothing started (no .godmode folder, no worker ran), in the foreground and with --detach alike.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'apps/godmode/bin/run.js');

/** The binary runs from dist; build it if it is missing (CI builds before testing). */
function ensureBuilt(): void {
  if (existsSync(join(repoRoot, 'apps/godmode/dist/main.js'))) return;
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

let box: Sandbox;
let repo: string;
beforeAll(async () => {
  ensureBuilt();
  box = sandbox();
  repo = join(box.root, 'repo');
  await gitRepo(repo, { 'src/app.js': 'export {}\n', 'README.md': '# r\n' });
});
afterAll(() => box?.dispose());

/** Two streams of phase "build" that both own src/**; each worker would leave a marker if it ever ran. */
function overlappingPlan(marker: string): string {
  const worker = (id: string) => `{ adapter: command, options: { command: "touch ${marker}-${id}" } }`;
  return `name: overlap
phases:
  - id: build
    streams:
      - id: api
        worker: ${worker('api')}
        owns: ["src/**"]
      - id: web
        worker: ${worker('web')}
        owns: ["src/web/**"]
`;
}

describe('orchestra run validates the plan first', { timeout: 60_000 }, () => {
  it.each([
    ['in the foreground', []],
    ['with --detach (before the conductor is started)', ['--detach']],
  ] as const)('%s: overlapping owns → exit 2, the problem by file and path, nothing started', async (_how, flags) => {
    const marker = join(box.root, `ran-${flags.length}`);
    writeFileSync(join(repo, 'plan.yaml'), overlappingPlan(marker));
    const run = await execa(process.execPath, [bin, 'orchestra', 'run', 'plan.yaml', ...flags], { cwd: repo, env: box.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 50_000 });
    expect(run.exitCode, String(run.stderr)).toBe(2);
    const stderr = String(run.stderr);
    expect(stderr).toMatch(/plan\.yaml has 1 problem; nothing was started/);
    expect(stderr).toMatch(/plan\.yaml:\d+ phases\[0\]\.streams\[1\]\.owns\[0\]: streams "api" and "web" of phase "build" may both write src\/web\//);
    expect(stderr).toMatch(/fix: .*allowOverlap: true/);
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(join(repo, '.godmode'))).toBe(false);
    expect(existsSync(`${marker}-api`) || existsSync(`${marker}-web`)).toBe(false);
  });
});

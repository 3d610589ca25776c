import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, sandbox, type Sandbox } from '../authoring/support/cli.js';

// `orchestra run` in the foreground on a terminal draws the live task list `orchestra watch` draws (the same
// renderer), and plain lines piped, with --json (NDJSON) or under CI. The real `godmode` binary in a
// pseudo-terminal (util-linux `script`), a two-phase plan of command workers in a git repository.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'apps/godmode/bin/run.js');
const script = spawnSync('script', ['--version']).status === 0;

/** The binary runs from dist; build it if it is missing (CI builds before testing). */
function ensureBuilt(): void {
  if (existsSync(join(repoRoot, 'apps/godmode/dist/main.js'))) return;
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

const plan = `name: live
phases:
  - id: build
    streams:
      - id: api
        worker: { adapter: command, options: { command: "mkdir -p src/api && echo 1 > src/api/a.js" } }
        deliverables: [src/api/a.js]
      - id: web
        worker: { adapter: command, options: { command: "mkdir -p src/web && echo 1 > src/web/w.js" } }
        deliverables: [src/web/w.js]
  - id: docs
    streams:
      - id: readme
        worker: { adapter: command, options: { command: "mkdir -p docs && echo 1 > docs/r.md" } }
        deliverables: [docs/r.md]
`;

let box: Sandbox;
let repo: string;
let env: Record<string, string>;
beforeAll(async () => {
  ensureBuilt();
  box = sandbox();
  repo = join(box.root, 'repo');
  await gitRepo(repo, { 'README.md': '# r\n', '.gitignore': '.godmode/\n' });
  writeFileSync(join(repo, 'plan.yaml'), plan);
  // No CI marker from the environment the suite runs in: each case says whether it is CI.
  env = { ...box.env, PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm' };
  delete env.CI;
});
afterAll(() => box?.dispose());

const sh = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** `godmode orchestra run plan.yaml …` with stdout (and stdin) a pseudo-terminal of 160 columns. */
async function runInTerminal(flags: string[], extraEnv: Record<string, string> = {}) {
  const command = `stty cols 160 rows 40; exec ${[process.execPath, bin, 'orchestra', 'run', 'plan.yaml', ...flags].map(sh).join(' ')}`;
  const r = await execa('script', ['-qfec', command, '/dev/null'], { cwd: repo, env: { ...env, ...extraEnv }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
  return { code: r.exitCode, out: String(r.stdout).replaceAll('\r', '') };
}

const plainLine = /↗ api attempt 1 \(pid \d+\)/;
const redraw = '\u001b[?25l'; // the cursor hidden while the list is redrawn in place

describe.skipIf(!script)('orchestra run: the live task list on a terminal, plain lines elsewhere', { timeout: 90_000 }, () => {
  it('on a terminal: the task list of watch (phases, streams with state and verdict), no event lines', async () => {
    const { code, out } = await runInTerminal([]);
    expect(code, out.slice(-2000)).toBe(0);
    expect(out).toMatch(/^run \S+-live-\S+ — plan "live" \(3 streams\)/m);
    expect(out).toContain(redraw);
    for (const phase of ['phase build', 'phase docs']) expect(out).toContain(phase);
    for (const stream of ['api', 'web', 'readme']) expect(out).toMatch(new RegExp(`${stream} {2}shipped · attempt 1 · .* — .*disk says shipped`));
    expect(out).not.toMatch(plainLine);
    expect(out).toMatch(/^3 of 3 streams shipped \(run /m);
  });

  it('Ctrl-C on the terminal stops the run gracefully under the list: the outcome is printed, exit 130', async () => {
    writeFileSync(join(repo, 'slow.yaml'), `name: slow\nphases:\n  - id: build\n    streams:\n      - id: api\n        worker: { adapter: command, options: { command: "sleep 30" } }\n        deliverables: [src/api/a.js]\n`);
    const command = `stty cols 160 rows 40; exec ${[process.execPath, bin, 'orchestra', 'run', 'slow.yaml'].map(sh).join(' ')}`;
    const child = execa('script', ['-qfec', command, '/dev/null'], { cwd: repo, env, extendEnv: false, reject: false, stdin: 'pipe', timeout: 60_000 });
    let seen = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/api {2}running/.test(seen)) resolve();
      });
      void child.then(() => resolve());
    });
    // The terminal's own Ctrl-C: the line discipline sends SIGINT to the foreground process group.
    child.stdin.write('\u0003');
    const r = await child;
    const out = String(r.stdout).replaceAll('\r', '');
    expect(r.exitCode, out.slice(-2000)).toBe(130);
    expect(out).toMatch(/api {2}(running|missing) · attempt 1 · .* — interrupted/);
    expect(out).toMatch(/^0 of 1 streams shipped \(run /m);
  });

  it('piped: plain lines, nothing redrawn', async () => {
    const r = await execa(process.execPath, [bin, 'orchestra', 'run', 'plan.yaml'], { cwd: repo, env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toMatch(plainLine);
    expect(String(r.stdout)).not.toContain('\u001b[');
  });

  it.each([
    ['with CI set', [], { CI: 'true' }],
    ['with --json', ['--json'], {}],
  ] as const)('on a terminal %s: no task list', async (_how, flags, extraEnv) => {
    const { code, out } = await runInTerminal([...flags], extraEnv);
    expect(code, out.slice(-2000)).toBe(0);
    expect(out).not.toContain(redraw);
    if (flags.length === 0) expect(out).toMatch(plainLine);
    else {
      const events = out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.at(-1)).toMatchObject({ type: 'outcome', shipped: 3, streams: 3 });
    }
  });
});

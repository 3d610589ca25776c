import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEventSchema } from '@godmode/protocol';
import { COMMANDS } from '../../src/commands.js';

/**
 * The README's exit-code table, through the real binary (apps/godmode/bin/run.js, from dist): 0 done,
 * 1 failed outcome, 2 input or environment wrong, 130 interrupted — for every command.
 */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'apps/godmode/bin/run.js');
const fixtures = fileURLToPath(new URL('../fixtures/exit/', import.meta.url));
const plan = (name: string) => join(fixtures, `${name}.yaml`);
const projects: string[] = [];
/** Every binary started, so none outlives the file even when a test fails half-way. */
const children = new Set<import('node:child_process').ChildProcess>();
const stateDir = mkdtempSync(join(tmpdir(), 'godmode-exit-state-'));
/** GODMODE_STATE_DIR: the runs this "machine" created are recorded here, not in the user's own state folder. */
const env = { ...process.env, NO_COLOR: '1', GODMODE_TELEMETRY: '0', GODMODE_KEYRING: '0', GODMODE_STATE_DIR: stateDir };

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'godmode-exit-'));
  projects.push(dir);
  return dir;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary; with `interruptWhen`, sends SIGINT once stdout matches it; `onOutput` sees stdout as it grows. */
function godmode(args: string[], options: { interruptWhen?: RegExp; env?: NodeJS.ProcessEnv; onOutput?: (stdout: string) => void } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: tmpdir(), env: { ...env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onOutput?.(stdout);
      if (options.interruptWhen && !sent && options.interruptWhen.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      children.delete(child);
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// A FIFO as the plan: reading it would wait for a writer forever.
const fifoDir = mkdtempSync(join(tmpdir(), 'godmode-exit-fifo-'));
projects.push(fifoDir);
spawnSync('mkfifo', [join(fifoDir, 'plan.yaml')]);

const runId = (dir: string): string => readdirSync(join(dir, '.godmode/runs'))[0] as string;
const journalLines = (dir: string): number => readFileSync(join(dir, '.godmode/runs', runId(dir), 'journal.jsonl'), 'utf8').trim().split('\n').length;

let okProject = '';
let failProject = '';

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'apps/godmode/dist/main.js')) || !existsSync(join(repoRoot, 'packages/cli/dist/hooks/command-not-found.js'))) {
    const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=godmode...', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  okProject = project();
  failProject = project();
}, 600_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of [...projects, stateDir]) rmSync(dir, { recursive: true, force: true });
});

describe('exit codes through the binary', { timeout: 60_000 }, () => {
  it.each(Object.keys(COMMANDS).map((id) => id.split(':')))('%s %s --help exits 0', async (...words) => {
    const r = await godmode([...words.filter(Boolean), '--help']);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    [['orchestra', 'rnu', 'plan.yaml'], 'godmode orchestra run'],
    [['orchestra', 'wacth'], 'godmode orchestra watch'],
    [['loign'], 'godmode login'],
  ])('an unknown command %j exits 2 and says "did you mean %s" without a terminal', async (args, suggestion) => {
    const r = await godmode(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`is not a godmode command`);
    expect(r.stderr).toContain(`Did you mean "${suggestion}"?`);
  });

  it('an unknown command with nothing close exits 2 too', async () => {
    const r = await godmode(['xyzzyplugh']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('Did you mean');
  });

  it.each([
    ['orchestra run with no plan', ['orchestra', 'run']],
    ['orchestra run of a missing plan file', ['orchestra', 'run', join(fixtures, 'no-such-plan.yaml')]],
    ['orchestra run of a folder', ['orchestra', 'run', fixtures]],
    ['orchestra run of a FIFO', ['orchestra', 'run', join(fifoDir, 'plan.yaml')]],
    ['orchestra run of a YAML alias bomb', ['orchestra', 'run', plan('alias-bomb')]],
    ['orchestra run of /dev/zero', ['orchestra', 'run', '/dev/zero']],
    ['orchestra status of a missing run', ['orchestra', 'status', 'no-such-run', '--cwd', tmpdir()]],
    ['orchestra watch of a missing run', ['orchestra', 'watch', 'no-such-run', '--cwd', tmpdir()]],
    ['orchestra stop of a missing run', ['orchestra', 'stop', 'no-such-run', '--cwd', tmpdir()]],
    ['orchestra takeover of a missing run', ['orchestra', 'takeover', 'no-such-run', '--cwd', tmpdir()]],
    ['orchestra report of a missing run', ['orchestra', 'report', 'no-such-run', '--cwd', tmpdir()]],
    ['an unknown flag', ['orchestra', 'status', '--no-such-flag']],
  ])('%s exits 2', async (_name, args) => {
    const r = await godmode(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  });

  it('orchestra run exits 0 when every stream shipped, and watch of that run exits 0', async () => {
    const r = await godmode(['orchestra', 'run', plan('ok'), '--cwd', okProject]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 of 1 streams shipped');
    expect((await godmode(['orchestra', 'watch', '--cwd', okProject])).code).toBe(0);
    expect((await godmode(['orchestra', 'watch', '--cwd', okProject, '--json'])).code).toBe(0);
  });

  it('orchestra run exits 1 when a stream did not ship, and watch of that run exits 1', async () => {
    const r = await godmode(['orchestra', 'run', plan('fail'), '--cwd', failProject]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('1 of 2 streams shipped');
    const json = await godmode(['orchestra', 'run', plan('fail'), '--cwd', project(), '--json']);
    expect(json.code).toBe(1);
    expect((await godmode(['orchestra', 'watch', '--cwd', failProject])).code).toBe(1);
  });

  it.each([
    ['status', ['orchestra', 'status']],
    ['status --json', ['orchestra', 'status', '--json']],
    ['ls', ['orchestra', 'ls']],
    ['reconcile', ['orchestra', 'reconcile', '--skip-check']],
    ['score', ['orchestra', 'score', '--skip-commands']],
    ['report', ['orchestra', 'report']],
  ])('orchestra %s of a finished run exits 0 (it reports, it has no outcome of its own)', async (_name, args) => {
    const r = await godmode([...args, '--cwd', failProject]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('orchestra takeover of a finished run says so, exits 0, and journals nothing', async () => {
    const before = journalLines(okProject);
    const r = await godmode(['orchestra', 'takeover', '--cwd', okProject]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/already finished/);
    expect(journalLines(okProject)).toBe(before);
    const resume = await godmode(['orchestra', 'run', '--resume', runId(okProject), '--cwd', okProject]);
    expect(resume.code, resume.stderr).toBe(0);
    expect(journalLines(okProject)).toBe(before);
  });

  it('orchestra run interrupted with Ctrl-C exits 130, and so does watch', async () => {
    const dir = project();
    const watched = godmode(['orchestra', 'run', plan('slow'), '--cwd', dir], { interruptWhen: /↗ a attempt 1/ });
    const r = await watched;
    expect(r.code, r.stdout + r.stderr).toBe(130);
    // The run ended (stopped) — watch follows it to its end; a run still going is interrupted instead.
    const live = project();
    let spawned!: () => void;
    const started = new Promise<void>((resolve) => (spawned = resolve));
    const running = godmode(['orchestra', 'run', plan('slow'), '--cwd', live], { onOutput: (out) => /↗ a attempt 1/.test(out) && spawned() });
    await started;
    const w = await godmode(['orchestra', 'watch', '--cwd', live], { interruptWhen: /↗ a attempt 1/ });
    expect(w.code, w.stderr).toBe(130);
    const stop = await godmode(['orchestra', 'stop', '--cwd', live]);
    expect(stop.code, stop.stderr).toBe(0);
    // Stopped by `orchestra stop` (SIGTERM): the conductor was interrupted too.
    expect((await running).code).toBe(130);
  }, 120_000);

  it('orchestra demo interrupted with Ctrl-C exits 130', async () => {
    const r = await godmode(['orchestra', 'demo', '--cwd', project()], { interruptWhen: /↗ \S+ attempt 1/ });
    expect(r.code, r.stdout + r.stderr).toBe(130);
  }, 120_000);

  it("a run folder this machine did not create or conduct does not get its plan's commands run: exit 2, until --trust", async () => {
    const dir = project();
    const mark = join(dir, 'ran');
    const created = await godmode(['orchestra', 'run', plan('crafted'), '--cwd', dir], { env: { GODMODE_EXIT_MARK: mark } });
    expect(created.code, created.stderr).toBe(0);
    rmSync(mark, { force: true });
    rmSync(`${mark}.check`, { force: true });
    // Another machine (another state folder): the same folder is now someone else's run, as in a clone.
    const elsewhere = { GODMODE_EXIT_MARK: mark, GODMODE_STATE_DIR: join(dir, 'other-state') };
    for (const args of [['orchestra', 'score'], ['orchestra', 'reconcile'], ['orchestra', 'report', '--rescore']]) {
      const r = await godmode([...args, '--cwd', dir], { env: elsewhere });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('--trust');
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    }
    expect(existsSync(mark) || existsSync(`${mark}.check`)).toBe(false);
    // Reading without running anything still works.
    expect((await godmode(['orchestra', 'score', '--skip-commands', '--cwd', dir], { env: elsewhere })).code).toBe(0);
    expect((await godmode(['orchestra', 'reconcile', '--skip-check', '--cwd', dir], { env: elsewhere })).code).toBe(0);
    const trusted = await godmode(['orchestra', 'score', '--trust', '--cwd', dir], { env: elsewhere });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(existsSync(mark)).toBe(true);
    // --trust is remembered for that run.
    expect((await godmode(['orchestra', 'reconcile', '--cwd', dir], { env: elsewhere })).code).toBe(0);
    expect(existsSync(`${mark}.check`)).toBe(true);
  });

  it('run --json and watch --json print the same journal events in one documented shape (cli-event schema)', async () => {
    const dir = project();
    const run = await godmode(['orchestra', 'run', plan('fail'), '--cwd', dir, '--json']);
    const watch = await godmode(['orchestra', 'watch', '--cwd', dir, '--json']);
    const parse = (text: string) => text.trim().split('\n').map((line) => cliEventSchema.parse(JSON.parse(line)));
    const fromRun = parse(run.stdout);
    const fromWatch = parse(watch.stdout);
    const journal = (events: ReturnType<typeof parse>) => events.flatMap((e) => (e.type === 'journal' ? [`${e.seq} ${e.kind}`] : []));
    // watch ends at run.finished; run goes on to nothing else journaled after it.
    expect(journal(fromWatch)).toEqual(journal(fromRun));
    expect(fromRun.at(-1)).toMatchObject({ type: 'outcome', shipped: 1, streams: 2 });
    expect(fromWatch.at(-1)).toMatchObject({ type: 'outcome', shipped: 1, streams: 2, interrupted: false });
    expect([run.code, watch.code]).toEqual([1, 1]);
  });
});


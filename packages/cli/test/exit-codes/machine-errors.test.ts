import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Errors of the machine through the real binary: a full disk (a small tmpfs), a read-only file system and a
 * folder the user may not write, each in a private mount namespace (`unshare -m`, so nothing leaks out).
 * They are the user's to fix: exit 2 naming the path and what to do, no stack trace, and nothing lost.
 */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'apps/godmode/bin/run.js');
const fixtures = fileURLToPath(new URL('../fixtures/exit/', import.meta.url));
const isRoot = process.getuid?.() === 0;
const canUnshare = isRoot && spawnSync('unshare', ['-m', 'true']).status === 0;
// The EACCES case runs the CLI as `nobody`, which must be able to read this checkout (not so under a 0700 folder,
// such as one made by `mktemp -d`): else that case is skipped, saying why.
const nobodyReadsCli = isRoot && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', bin]).status === 0;
if (isRoot && !nobodyReadsCli) console.warn(`[machine-errors.test] EACCES case skipped: user nobody cannot read ${bin} (a parent folder is private)`);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'godmode-machine-'));
  dirs.push(d);
  return d;
}

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Runs a shell script in a private mount namespace; `godmode …` in it is the real binary. */
function inNamespace(script: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `godmode() { ${q(process.execPath)} ${q(bin)} "$@"; }\n${script}`], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GODMODE_TELEMETRY: '0', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectEnvironmentError(r: { code: number | null; stderr: string }, path: string, what: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(what);
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(r.stderr).not.toContain('bug in godmode');
}

describe.runIf(canUnshare)('errors of the machine are not bugs', { timeout: 120_000 }, () => {
  it('a full disk (ENOSPC) under the run directory: exit 2, naming the path and what to free', () => {
    const dir = temp();
    const state = temp();
    const r = inNamespace(
      `mount -t tmpfs -o size=256k tmpfs ${q(dir)} && head -c 245000 /dev/zero > ${q(join(dir, 'fill'))} 2>/dev/null; godmode orchestra run ${q(join(fixtures, 'ok.yaml'))} --cwd ${q(dir)}`,
      { GODMODE_STATE_DIR: state },
    );
    expectEnvironmentError(r, dir, /disk is full[\s\S]*Free space/);
  });

  it('a read-only file system (EROFS): run, reconcile and takeover exit 2 and change nothing', () => {
    const dir = temp();
    const state = temp();
    // A run stopped half-way (its journal has no end), copied onto a file system then mounted read-only.
    const source = temp();
    const made = spawnSync(process.execPath, [bin, 'orchestra', 'run', join(fixtures, 'fail.yaml'), '--cwd', source], { env: { ...process.env, GODMODE_STATE_DIR: state }, encoding: 'utf8' });
    expect(made.status).toBe(1);
    const runId = readdirSync(join(source, '.godmode/runs'))[0]!;
    const journal = join(source, '.godmode/runs', runId, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    const cut = lines.findIndex((l) => l.includes('"kind":"merge.finished"') || l.includes('"kind":"run.finished"'));
    spawnSync('sh', ['-c', `head -n ${cut} ${q(journal)} > ${q(journal)}.cut && mv ${q(journal)}.cut ${q(journal)}`]);
    const before = readFileSync(journal, 'utf8');
    const mount = `mount -t tmpfs tmpfs ${q(dir)} && cp -a ${q(source)}/. ${q(dir)}/ && mount -o remount,ro ${q(dir)}`;
    const runDir = join(dir, '.godmode/runs', runId);
    const run = inNamespace(`${mount} && godmode orchestra run ${q(join(fixtures, 'ok.yaml'))} --cwd ${q(dir)}`, { GODMODE_STATE_DIR: state });
    expectEnvironmentError(run, dir, /read-only/);
    const reconcile = inNamespace(`${mount} && godmode orchestra reconcile --skip-check --cwd ${q(dir)}`, { GODMODE_STATE_DIR: state });
    expectEnvironmentError(reconcile, runDir, /read-only/);
    const takeover = inNamespace(`${mount} && godmode orchestra takeover --trust --cwd ${q(dir)}`, { GODMODE_STATE_DIR: state });
    expectEnvironmentError(takeover, runDir, /read-only/);
    // Nothing lost: the source run is as it was.
    expect(readFileSync(journal, 'utf8')).toBe(before);
  });

  it.skipIf(!nobodyReadsCli)('a run folder the user may not write (EACCES): exit 2, naming it', () => {
    const dir = temp();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, '.godmode'), { mode: 0o755 });
    const home = temp();
    chmodSync(home, 0o777);
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, 'orchestra', 'run', join(fixtures, 'ok.yaml'), '--cwd', dir], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', HOME: home, GODMODE_STATE_DIR: join(home, 'state'), GODMODE_TELEMETRY: '0' },
      timeout: 60_000,
    });
    expectEnvironmentError({ code: r.status, stderr: r.stderr }, join(dir, '.godmode'), /permission denied[\s\S]*write access/);
    expect(existsSync(join(dir, '.godmode', 'runs'))).toBe(false);
    void cpSync;
  });
});

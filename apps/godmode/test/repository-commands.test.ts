import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, godmode, journalOf, killAll, ndjson, processesOfRun, runDirs } from './helpers.js';
import { checkoutState, fastSettings, fixtureRepository, git, write, writePlan, writer } from './repo-fixture.js';

const runs: string[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const dir of runs) killAll(processesOfRun(dir));
});

const simplePlan = (extra: Record<string, unknown> = {}) =>
  writePlan({ name: 'cmds', settings: fastSettings, test: 'node --test', phases: [{ id: 'build', streams: [writer('alpha', { 'src/alpha.js': 'export const alpha = 1;\n' }), writer('beta', { 'src/beta.js': 'export const beta = 2;\n' })] }], ...extra });

async function runIn(repo: string, cwd = repo) {
  const r = await godmode(['orchestra', 'run', simplePlan(), '--json'], { cwd });
  expect(r.code).toBe(0);
  const runDir = runDirs(repo).at(-1) as string;
  runs.push(runDir);
  return { runDir, integration: journalOf(runDir)[0]!.payload.integration as string };
}

describe('orchestra apply and clean', () => {
  it('apply refuses a dirty checkout and changes nothing; on a clean one it fast-forwards; found from a subfolder', async () => {
    const repo = fixtureRepository({ dirty: false });
    const { integration } = await runIn(repo);
    write(repo, 'README.md', '# edited\n');
    const before = checkoutState(repo);
    const refused = await godmode(['orchestra', 'apply'], { cwd: path.join(repo, 'src') });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/uncommitted changes \(README\.md\); nothing was applied/);
    expect(refused.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(checkoutState(repo)).toEqual(before);
    git(repo, ['checkout', '--', 'README.md']);

    const applied = await godmode(['orchestra', 'apply', '--json'], { cwd: path.join(repo, 'src') });
    expect(applied.code).toBe(0);
    expect(ndjson(applied.stdout)[0]).toMatchObject({ type: 'applied', how: 'fast-forward', into: 'main' });
    expect(git(repo, ['rev-parse', 'HEAD'])).toBe(git(repo, ['rev-parse', integration]));
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(path.join(repo, 'src/alpha.js'), 'utf8')).toBe('export const alpha = 1;\n');
  }, 120_000);

  it('clean refuses a worktree with uncommitted work (named), then removes worktrees and keeps branches; --delete-branches only merged ones', async () => {
    const repo = fixtureRepository({ dirty: false });
    const { runDir, integration } = await runIn(repo);
    const alpha = path.join(runDir, 'streams/alpha/work');
    write(alpha, 'wip.txt', 'not committed');
    const refused = await godmode(['orchestra', 'clean'], { cwd: repo });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(alpha);
    expect(existsSync(path.join(runDir, 'streams/beta/work/.git'))).toBe(true);
    git(alpha, ['add', '-A']);
    git(alpha, ['commit', '-q', '-m', 'wip']);

    const cleaned = await godmode(['orchestra', 'clean', '--delete-branches', '--json'], { cwd: repo });
    expect(cleaned.code).toBe(0);
    const out = ndjson(cleaned.stdout)[0]!;
    expect(out.removed).toHaveLength(3);
    const runId = path.basename(runDir);
    // beta's worktree held exactly its merged snapshot: its branch took it, is fully merged, and goes; alpha's holds more.
    expect(out.deletedBranches).toEqual([`godmode/${runId}/streams/beta`]);
    expect(out.keptBranches).toEqual([`godmode/${runId}/streams/alpha`]);
    expect(git(repo, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
    expect(git(repo, ['rev-parse', '--verify', integration])).toMatch(/^[0-9a-f]{40}$/);
    expect(git(repo, ['rev-parse', '--verify', `godmode/${runId}/streams/alpha`])).toMatch(/^[0-9a-f]{40}$/);
  }, 120_000);
});

describe('bad input on a repository: a clear message naming what and where, exit 2, the repository unchanged', () => {
  const plain = () => mkdtempSync(path.join(tmpdir(), 'godmode-plain-'));
  it.each([
    ['repo: that is not a git repository', () => ({ repo: fixtureRepository(), cwd: undefined as string | undefined, args: [] as string[], plan: { repo: plain() } }), /is not in a git repository/],
    ['a --base that does not resolve', () => ({ repo: fixtureRepository(), cwd: undefined, args: ['--base', 'no-such-branch'], plan: {} }), /--base no-such-branch does not name a commit in \//],
    ['a repository with no commit', () => {
      const repo = plain();
      git(repo, ['init', '-q']);
      return { repo, cwd: undefined, args: [], plan: {} };
    }, /has no commit yet/],
    ['a detached HEAD', () => {
      const repo = fixtureRepository();
      git(repo, ['checkout', '-q', '--detach']);
      return { repo, cwd: undefined, args: [], plan: {} };
    }, /HEAD is detached in \/.* \(at [0-9a-f]{12}\)/],
    ['a setup that hangs', () => ({ repo: fixtureRepository(), cwd: undefined, args: [], plan: { setup: 'sleep 30', setupTimeoutMs: 1_000 } }), /setup `sleep 30` did not finish within 1000 ms in \/.*streams\/(alpha|beta)\/work \(stream (alpha|beta)\)/],
  ] as const)('%s', async (_what, make, message) => {
    const { repo, args, plan } = make();
    const hasHead = (() => {
      try {
        git(repo, ['rev-parse', 'HEAD']);
        return true;
      } catch {
        return false;
      }
    })();
    const before = hasHead ? checkoutState(repo) : git(repo, ['status', '--porcelain=v2']);
    const r = await godmode(['orchestra', 'run', simplePlan(plan), ...args], { cwd: repo });
    for (const d of runDirs(repo)) runs.push(d);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(2);
    expect(hasHead ? checkoutState(repo) : git(repo, ['status', '--porcelain=v2'])).toEqual(before);
  }, 60_000);
});

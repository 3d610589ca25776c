import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addWorktree, applyBranch, changedFiles, cleanWorktrees, mergeInto, openRepository, RepositoryError, resolveBase, runNames, snapshotWorktree } from '../src/index.js';
import { seedRepo, sh, write } from './seed.js';

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const names = runNames('r1');

async function streamTree(repo: string, stream: string) {
  const top = await openRepository(repo);
  const base = await resolveBase(top);
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-wt-run-')), stream, 'work');
  const added = await addWorktree({ repo: top, path: dir, branch: names.stream(stream), start: base });
  return { top, base, dir, added };
}

describe('worktrees', () => {
  it("12 worktrees of one repository added at once: each on its own new branch at the base (git's locks are contended)", async () => {
    const repo = seedRepo();
    const top = await openRepository(repo);
    const base = await resolveBase(top);
    const root = mkdtempSync(path.join(tmpdir(), 'godmode-wt-par-'));
    const streams = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const added = await Promise.all(streams.map((s) => addWorktree({ repo: top, path: path.join(root, s, 'work'), branch: names.stream(s), start: base })));
    expect(added.map((a) => [a.branch, a.head, a.created])).toEqual(streams.map((s) => [names.stream(s), base, true]));
    for (const s of streams) expect(sh(path.join(root, s, 'work'), ['symbolic-ref', '--short', 'HEAD'])).toBe(names.stream(s));
  });

  it('adds a worktree on a new branch at the base, and finds it again as it is', async () => {
    const repo = seedRepo();
    const { top, base, dir, added } = await streamTree(repo, 's1');
    expect(added).toMatchObject({ created: true, head: base, branch: 'godmode/r1/streams/s1' });
    expect(readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    const again = await addWorktree({ repo: top, path: dir, branch: names.stream('s1'), start: base });
    expect(again.created).toBe(false);
    await expect(addWorktree({ repo: top, path: dir, branch: names.stream('other'), start: base })).rejects.toMatchObject({ problem: 'worktree-path-exists' });
  });

  it('an existing branch keeps its tip (loose or packed), and a worktree folder deleted by hand is added again', async () => {
    const repo = seedRepo();
    const { top, base, dir } = await streamTree(repo, 's1');
    write(dir, 'src/b.ts', 'b\n');
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-q', '-m', 'b']);
    const tip = sh(dir, ['rev-parse', 'HEAD']);
    sh(repo, ['worktree', 'remove', dir]);
    const again = await addWorktree({ repo: top, path: dir, branch: names.stream('s1'), start: base });
    expect(again).toMatchObject({ created: true, head: tip, branch: names.stream('s1') });
    // Deleted by hand: still registered, pruned and added again; the branch packed: its tip read from git.
    sh(repo, ['pack-refs', '--all']);
    const { rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true, force: true });
    const third = await addWorktree({ repo: top, path: dir, branch: names.stream('s1'), start: base });
    expect(third).toMatchObject({ created: true, head: tip });
    expect(sh(dir, ['symbolic-ref', '--short', 'HEAD'])).toBe(names.stream('s1'));
    expect(readFileSync(path.join(dir, 'src/b.ts'), 'utf8')).toBe('b\n');
  });

  it('snapshots uncommitted and untracked files, not ignored ones, without touching the worktree index or HEAD', async () => {
    const repo = seedRepo();
    const { dir, base } = await streamTree(repo, 's1');
    write(dir, 'src/a.ts', 'export const a = 2;\n');
    write(dir, 'src/new.ts', 'export const b = 1;\n');
    write(dir, 'node_modules/x/index.js', 'ignored');
    const index = sh(dir, ['rev-parse', '--path-format=absolute', '--git-path', 'index']);
    const before = { index: hash(index), head: sh(dir, ['rev-parse', 'HEAD']), status: sh(dir, ['status', '--porcelain']) };
    const snap = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s1', 1) });
    expect({ index: hash(index), head: sh(dir, ['rev-parse', 'HEAD']), status: sh(dir, ['status', '--porcelain']) }).toEqual(before);
    expect(sh(dir, ['rev-parse', names.snapshot('s1', 1)])).toBe(snap.commit);
    expect(await changedFiles(dir, base, snap.commit)).toEqual([
      { path: 'src/a.ts', change: 'modified' },
      { path: 'src/new.ts', change: 'added' },
    ]);
    // With an index of godmode's own kept between snapshots, a later snapshot sees later work, and the worktree index stays as it was.
    const kept = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-wt-idx-')), 'snapshot.index');
    await snapshotWorktree({ worktree: dir, ref: names.snapshot('s1', 2), index: kept });
    write(dir, 'src/later.ts', 'later\n');
    const later = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s1', 3), index: kept });
    expect((await changedFiles(dir, base, later.commit)).map((c) => c.path)).toEqual(['src/a.ts', 'src/later.ts', 'src/new.ts']);
    expect(hash(index)).toBe(before.index);
    // A worktree with nothing new snapshots as its HEAD: nothing changed since the base.
    const { dir: idle, base: b2 } = await streamTree(repo, 's2');
    const same = await snapshotWorktree({ worktree: idle, ref: names.snapshot('s2', 1) });
    expect(same.commit).toBe(b2);
    expect(await changedFiles(idle, b2, same.commit)).toEqual([]);
  });

  it('merges with --no-ff, recognises a merge already made, and aborts a conflict naming the file', async () => {
    const repo = seedRepo();
    const { top, base } = await streamTree(repo, 's0');
    const integration = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-wt-int-')), 'integration');
    await addWorktree({ repo: top, path: integration, branch: names.integration, start: base });
    const snaps: string[] = [];
    for (const [s, text] of [['s1', 'one'], ['s2', 'two']] as const) {
      const { dir } = await streamTree(repo, s);
      write(dir, 'src/a.ts', `export const a = '${text}';\n`);
      snaps.push((await snapshotWorktree({ worktree: dir, ref: names.snapshot(s, 1) })).commit);
    }
    const first = await mergeInto(integration, snaps[0]!, 'merge s1');
    expect(first.status).toBe('merged');
    expect(sh(integration, ['rev-list', '--parents', '-n1', 'HEAD']).split(' ')).toHaveLength(3);
    expect(await mergeInto(integration, snaps[0]!, 'merge s1')).toMatchObject({ status: 'already-merged' });
    const second = await mergeInto(integration, snaps[1]!, 'merge s2');
    expect(second).toMatchObject({ status: 'conflicts', files: ['src/a.ts'] });
    expect(sh(integration, ['status', '--porcelain'])).toBe('');
    expect(sh(integration, ['rev-parse', 'HEAD'])).toBe(first.status === 'merged' ? first.after : '');
  });

  it('apply fast-forwards a clean checkout and refuses a dirty one, changing nothing', async () => {
    const repo = seedRepo();
    const top = await openRepository(repo);
    const base = await resolveBase(top);
    sh(repo, ['branch', names.integration, base]);
    const { dir } = await streamTree(repo, 's1');
    write(dir, 'src/b.ts', 'b\n');
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-q', '-m', 'b']);
    sh(repo, ['branch', '-f', names.integration, sh(dir, ['rev-parse', 'HEAD'])]);
    write(repo, 'README.md', '# dirty\n');
    await expect(applyBranch({ checkout: repo, branch: names.integration })).rejects.toMatchObject({ problem: 'checkout-dirty' });
    expect(sh(repo, ['rev-parse', 'HEAD'])).toBe(base);
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('# dirty\n');
    sh(repo, ['checkout', '-q', '--', 'README.md']);
    const applied = await applyBranch({ checkout: repo, branch: names.integration });
    expect(applied).toMatchObject({ how: 'fast-forward', into: 'main', before: base });
    expect(existsSync(path.join(repo, 'src/b.ts'))).toBe(true);
  });

  it('clean refuses a worktree with uncommitted work, then removes worktrees, keeps branches, deletes only merged ones', async () => {
    const repo = seedRepo();
    const { top, dir: d1, base } = await streamTree(repo, 's1');
    const { dir: d2 } = await streamTree(repo, 's2');
    write(d2, 'x.txt', 'uncommitted');
    await expect(cleanWorktrees({ repo: top, worktrees: [{ path: d1 }, { path: d2 }] })).rejects.toMatchObject({ problem: 'worktree-dirty' });
    expect(existsSync(d1)).toBe(true);
    sh(d2, ['add', '-A']);
    sh(d2, ['commit', '-q', '-m', 'x']);
    sh(repo, ['branch', names.integration, base]);
    const cleaned = await cleanWorktrees({ repo: top, worktrees: [{ path: d1 }, { path: d2 }], deleteBranches: { branches: [names.stream('s1'), names.stream('s2')], mergedInto: names.integration } });
    expect(cleaned).toEqual({ removed: [d1, d2], deletedBranches: [names.stream('s1')], keptBranches: [names.stream('s2')] });
    expect(existsSync(d1) || existsSync(d2)).toBe(false);
  });

  it('clean settles a worktree whose uncommitted state is its last snapshot: the branch takes it, nothing is lost', async () => {
    const repo = seedRepo();
    const { top, dir, base } = await streamTree(repo, 's1');
    write(dir, 'src/new.ts', 'new\n');
    const snap = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s1', 1) });
    const cleaned = await cleanWorktrees({ repo: top, worktrees: [{ path: dir, snapshots: `${names.snapshotPrefix}s1/` }] });
    expect(cleaned.removed).toEqual([dir]);
    expect(sh(repo, ['rev-parse', names.stream('s1')])).toBe(snap.commit);
    expect(sh(repo, ['rev-parse', `${names.stream('s1')}^`])).toBe(base);
    // Work after the last snapshot is in no commit: refused.
    const { dir: d2 } = await streamTree(repo, 's2');
    write(d2, 'a.txt', 'one');
    await snapshotWorktree({ worktree: d2, ref: names.snapshot('s2', 1) });
    write(d2, 'a.txt', 'two');
    await expect(cleanWorktrees({ repo: top, worktrees: [{ path: d2, snapshots: `${names.snapshotPrefix}s2/` }] })).rejects.toMatchObject({ problem: 'worktree-dirty' });
  });

  it.each([
    ['no commit', 'empty', undefined, 'no-commit'],
    ['a base that does not resolve', 'seed', 'no-such-rev', 'base-unresolved'],
    ['an option smuggled as a base', 'seed', '--output=/tmp/x', 'base-unresolved'],
    ['a detached HEAD', 'detached', undefined, 'detached-head'],
  ] as const)('resolveBase refuses %s', async (_what, kind, rev, problem) => {
    const repo = seedRepo();
    if (kind === 'empty') {
      const empty = mkdtempSync(path.join(tmpdir(), 'godmode-wt-empty-'));
      sh(empty, ['init', '-q']);
      await expect(resolveBase(await openRepository(empty), rev)).rejects.toMatchObject({ problem });
      return;
    }
    if (kind === 'detached') sh(repo, ['checkout', '-q', '--detach']);
    const error = await resolveBase(await openRepository(repo), rev).catch((e: unknown) => e);
    expect(RepositoryError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ problem, audience: 'user' });
  });

  it('openRepository names a folder that is in no repository', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'godmode-wt-plain-'));
    await expect(openRepository(plain)).rejects.toMatchObject({ problem: 'not-a-repository', where: plain });
  });
});

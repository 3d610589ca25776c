import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addWorktree, changedFiles, openRepository, resolveBase, runNames, snapshotWorktree } from '../src/index.js';
import { seedRepo, sh, write } from './seed.js';

// A snapshot through a kept index reuses what the last one made (its tree, its commit, the ref already holding
// it) only when that is exactly what a fresh snapshot would make. Every case below changes one of the things the
// reuse depends on — the work tree, HEAD, the message, the ref, the commit object, the record kept beside the
// index — and the snapshot must be what `git add -A` + `write-tree` + `commit-tree` would give.

const names = runNames('reuse');

async function stream() {
  const repo = seedRepo();
  const top = await openRepository(repo);
  const base = await resolveBase(top);
  const run = mkdtempSync(path.join(tmpdir(), 'godmode-wt-reuse-'));
  const dir = path.join(run, 's', 'work');
  await addWorktree({ repo: top, path: dir, branch: names.stream('s'), start: base });
  return { repo, base, dir, index: path.join(run, 's', 'snapshot.index') };
}

/** The definition: `git add -A` on a fresh copy of HEAD in a throwaway index, written as a tree. */
function reference(dir: string): string {
  const env = { ...process.env, GIT_INDEX_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'godmode-wt-reuse-ref-')), 'index') };
  execFileSync('git', ['read-tree', 'HEAD'], { cwd: dir, env });
  execFileSync('git', ['add', '-A', '--', '.'], { cwd: dir, env });
  return execFileSync('git', ['write-tree'], { cwd: dir, env, encoding: 'utf8' }).trim();
}

describe('a snapshot through a kept index reuses the last one only when it is exactly the same', () => {
  it('nothing new: the same commit, no new commit made; another ref gets it too', async () => {
    const { dir, index } = await stream();
    write(dir, 'src/new.ts', 'new\n');
    const one = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index, message: 'm' });
    expect(existsSync(`${index}.last`)).toBe(true);
    const two = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index, message: 'm' });
    const other = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 2), index, message: 'm' });
    expect([two.commit, other.commit]).toEqual([one.commit, one.commit]);
    expect(sh(dir, ['rev-parse', names.snapshot('s', 1), names.snapshot('s', 2)]).split('\n')).toEqual([one.commit, one.commit]);
    expect(one.tree).toBe(reference(dir));
  });

  it('a change after the last snapshot, in the same instant or later, is a new tree and commit', async () => {
    const { dir, index, base } = await stream();
    const seen = new Set<string>();
    for (let n = 1; n <= 5; n++) {
      write(dir, 'src/a.ts', `export const a = ${n};\n`);
      const a = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index });
      // At once, the same size: only git's racy-stat rule can tell.
      write(dir, 'src/a.ts', `export const a = ${n + 5};\n`);
      const b = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index });
      expect([a.tree, b.tree].map((t) => t === b.tree)).toEqual([false, true]);
      expect(b.tree).toBe(reference(dir));
      expect(sh(dir, ['rev-parse', names.snapshot('s', 1)])).toBe(b.commit);
      seen.add(a.commit).add(b.commit);
    }
    expect(seen.size).toBe(10);
    expect((await changedFiles(dir, base, [...seen].at(-1) as string)).map((c) => c.path)).toEqual(['src/a.ts']);
  });

  it('HEAD moved (the agent committed some or all of it): the same tree on the new HEAD, or HEAD itself', async () => {
    const { dir, index } = await stream();
    write(dir, 'src/a.ts', 'export const a = 2;\n');
    write(dir, 'src/b.ts', 'b\n');
    const one = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index });
    sh(dir, ['commit', '-q', '-am', 'part']);
    const two = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index });
    const head = sh(dir, ['rev-parse', 'HEAD']);
    expect(two).toMatchObject({ tree: one.tree, head });
    expect(two.commit).not.toBe(one.commit);
    expect(sh(dir, ['rev-parse', `${two.commit}^`])).toBe(head);
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-q', '-m', 'all']);
    const three = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index });
    expect(three).toMatchObject({ commit: sh(dir, ['rev-parse', 'HEAD']), tree: one.tree });
  });

  it('another message (a later attempt) is a commit of its own', async () => {
    const { dir, index } = await stream();
    write(dir, 'src/new.ts', 'new\n');
    const one = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index, message: 'attempt 1' });
    const two = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 2), index, message: 'attempt 2' });
    expect(two.tree).toBe(one.tree);
    expect(two.commit).not.toBe(one.commit);
    expect(sh(dir, ['log', '-1', '--format=%s', two.commit])).toBe('attempt 2');
  });

  it('the ref moved or deleted, the commit pruned: the ref is written again, the commit made again', async () => {
    const { dir, index, repo } = await stream();
    write(dir, 'src/new.ts', 'new\n');
    const ref = names.snapshot('s', 1);
    const one = await snapshotWorktree({ worktree: dir, ref, index });
    sh(dir, ['update-ref', ref, sh(dir, ['rev-parse', 'HEAD'])]);
    expect((await snapshotWorktree({ worktree: dir, ref, index })).commit).toBe(one.commit);
    expect(sh(dir, ['rev-parse', ref])).toBe(one.commit);
    // Packed: the ref file is gone, git reads packed-refs.
    sh(repo, ['pack-refs', '--all']);
    expect((await snapshotWorktree({ worktree: dir, ref, index })).commit).toBe(one.commit);
    expect(sh(dir, ['rev-parse', ref])).toBe(one.commit);
    // Deleted, and the commit object itself gone (as a prune would do): made again, and the ref holds it.
    sh(dir, ['update-ref', '-d', ref]);
    rmSync(path.join(repo, '.git', 'objects', one.commit.slice(0, 2), one.commit.slice(2)));
    const again = await snapshotWorktree({ worktree: dir, ref, index });
    expect(again.tree).toBe(one.tree);
    expect(sh(dir, ['rev-parse', ref])).toBe(again.commit);
    expect(sh(dir, ['cat-file', '-t', again.commit])).toBe('commit');
    expect(sh(dir, ['rev-parse', `${again.commit}^{tree}`])).toBe(one.tree);
  });

  it('the record beside the index is trusted only for the index it was written with', async () => {
    const { dir, index } = await stream();
    write(dir, 'src/new.ts', 'one\n');
    await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index });
    // A garbled record is ignored.
    writeFileSync(`${index}.last`, '{"head": "not json');
    write(dir, 'src/new.ts', 'two\n');
    expect((await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index })).tree).toBe(reference(dir));
    // The index deleted (a new one is made from the worktree's): the old record is not believed.
    rmSync(index);
    write(dir, 'src/new.ts', 'three\n');
    expect((await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index })).tree).toBe(reference(dir));
  });
});

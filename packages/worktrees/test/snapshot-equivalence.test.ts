import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addWorktree, openRepository, resolveBase, runNames, snapshotWorktree } from '../src/index.js';
import { sh, write } from './seed.js';

// What a snapshot holds is pinned to its definition: the tree `git add -A` makes on a copy of the worktree's own
// index (uncommitted and untracked files in, ignored ones out). Every way a work tree can change is applied to a
// fresh worktree, and the snapshot — from a fresh copy of the index, and from an index kept warm across an earlier
// snapshot — must give exactly that tree, while the worktree's own index, HEAD and the user's checkout stay as
// they were.

const names = runNames('eq');
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A repository with files of every kind: nested folders, an executable, a symlink, a tracked file that is ignored. */
function richRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'godmode-wt-eq-'));
  sh(dir, ['init', '-q', '-b', 'main']);
  write(dir, 'README.md', '# rich\n');
  write(dir, 'src/a.ts', 'export const a = 1;\n');
  write(dir, 'src/b.ts', 'export const b = 1;\n');
  write(dir, 'src/deep/c.ts', 'export const c = 1;\n');
  write(dir, 'src/deep/er/d.ts', 'export const d = 1;\n');
  write(dir, 'bin/run.sh', '#!/bin/sh\necho run\n');
  chmodSync(path.join(dir, 'bin/run.sh'), 0o755);
  symlinkSync('src/a.ts', path.join(dir, 'link'));
  write(dir, '.gitignore', 'node_modules/\n*.log\n');
  write(dir, 'logs/kept.log', 'tracked although ignored\n');
  sh(dir, ['add', '-A']);
  sh(dir, ['add', '-f', 'logs/kept.log']);
  sh(dir, ['commit', '-q', '-m', 'rich']);
  sh(dir, ['branch', 'other']);
  return dir;
}

/** The definition: `git add -A` on a copy of the worktree's own index, written as a tree. */
function reference(dir: string): string {
  const idx = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-wt-ref-')), 'index');
  // A copy that keeps the index's mtime, as `cp -p` does: git's racy-file check depends on it.
  const own = sh(dir, ['rev-parse', '--path-format=absolute', '--git-path', 'index']);
  const { atime, mtime } = statSync(own);
  copyFileSync(own, idx);
  utimesSync(idx, atime, mtime);
  const env = { ...process.env, GIT_INDEX_FILE: idx };
  execFileSync('git', ['add', '-A', '--', '.'], { cwd: dir, env, stdio: 'ignore' });
  return execFileSync('git', ['write-tree'], { cwd: dir, env, encoding: 'utf8' }).trim();
}

const rm = (dir: string, p: string) => rmSync(path.join(dir, p), { recursive: true, force: true });
const mv = (dir: string, from: string, to: string) => {
  mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
  renameSync(path.join(dir, from), path.join(dir, to));
};

/** Every way a stream can leave its work tree. */
const changes: [string, (dir: string) => void][] = [
  ['nothing', () => {}],
  ['a file changed and changed back', (d) => write(d, 'src/a.ts', 'export const a = 1;\n')],
  ['a modified file', (d) => write(d, 'src/a.ts', 'export const a = 2;\n')],
  ['a deleted file', (d) => rm(d, 'src/b.ts')],
  ['a rename', (d) => mv(d, 'src/a.ts', 'src/renamed.ts')],
  ['a rename into new folders', (d) => mv(d, 'src/deep/c.ts', 'lib/x/y/c.ts')],
  ['a file made executable', (d) => chmodSync(path.join(d, 'src/a.ts'), 0o755)],
  ['an executable made plain', (d) => chmodSync(path.join(d, 'bin/run.sh'), 0o644)],
  ['a new symlink', (d) => symlinkSync('a.ts', path.join(d, 'src/new-link'))],
  ['a symlink retargeted', (d) => (unlinkSync(path.join(d, 'link')), symlinkSync('src/b.ts', path.join(d, 'link')))],
  ['a dangling symlink', (d) => symlinkSync('no/such/file', path.join(d, 'dangling'))],
  ['a file replaced by a symlink', (d) => (unlinkSync(path.join(d, 'src/b.ts')), symlinkSync('a.ts', path.join(d, 'src/b.ts')))],
  ['a symlink replaced by a file', (d) => (unlinkSync(path.join(d, 'link')), write(d, 'link', 'now a file\n'))],
  ['files in new nested folders', (d) => (write(d, 'new/one/two/three.ts', '3\n'), write(d, 'new/one/four.ts', '4\n'))],
  ['ignored files and folders', (d) => (write(d, 'node_modules/x/index.js', 'x'), write(d, 'debug.log', 'l'), write(d, 'src/node_modules/y.js', 'y'))],
  ['a tracked file that is ignored, changed', (d) => write(d, 'logs/kept.log', 'changed\n')],
  ['.gitignore now ignores a tracked file and a new one', (d) => (write(d, '.gitignore', 'node_modules/\n*.log\nsrc/a.ts\n*.tmp\n'), write(d, 'src/a.ts', 'ignored now\n'), write(d, 'x.tmp', 't'))],
  ['a whole folder deleted', (d) => rm(d, 'src/deep')],
  ['a file replaced by a folder', (d) => (rm(d, 'src/b.ts'), write(d, 'src/b.ts/inner.ts', 'inner\n'))],
  ['a folder replaced by a file', (d) => (rm(d, 'src/deep'), write(d, 'src/deep', 'a file now\n'))],
  ['an untracked nested repository', (d) => (write(d, 'vendor/lib/x.ts', 'x\n'), sh(path.join(d, 'vendor/lib'), ['init', '-q']), sh(path.join(d, 'vendor/lib'), ['add', '-A']), sh(path.join(d, 'vendor/lib'), ['commit', '-q', '-m', 'x']))],
  ['odd file names', (d) => {
    for (const n of ['with space.ts', 'ünïcode-名前.ts', 'new\nline.ts', '-leading-dash.ts', 'glob*?[x].ts', ':(top)magic.ts', 'back\\slash.ts', '"quoted".ts', 'tab\there.ts']) write(d, `odd/${n}`, n);
  }],
  ['an empty file and an empty folder', (d) => (write(d, 'empty.ts', ''), mkdirSync(path.join(d, 'empty-dir/inner'), { recursive: true }))],
  ['work staged in the worktree index, then changed again', (d) => (write(d, 'src/staged.ts', 'one\n'), write(d, 'src/a.ts', 'staged\n'), sh(d, ['add', '-A']), write(d, 'src/a.ts', 'then changed\n'))],
  ['a new file staged, then deleted', (d) => (write(d, 'src/gone.ts', 'g\n'), sh(d, ['add', 'src/gone.ts']), rm(d, 'src/gone.ts'))],
  ['a file removed with git rm', (d) => sh(d, ['rm', '-q', 'src/b.ts'])],
  ['intent to add', (d) => (write(d, 'src/intent.ts', 'i\n'), sh(d, ['add', '-N', 'src/intent.ts']))],
  ['an unfinished merge with a conflict', (d) => {
    write(d, 'src/a.ts', 'export const a = "stream";\n');
    sh(d, ['commit', '-q', '-am', 'stream side']);
    const other = mkdtempSync(path.join(tmpdir(), 'godmode-wt-eq-other-'));
    sh(d, ['worktree', 'add', '-q', path.join(other, 'o'), 'other']);
    write(path.join(other, 'o'), 'src/a.ts', 'export const a = "other";\n');
    sh(path.join(other, 'o'), ['commit', '-q', '-am', 'other side']);
    try {
      sh(d, ['merge', '-q', 'other']);
    } catch {
      // the conflict is the point
    }
  }],
  ['a commit by the agent, then more work', (d) => (write(d, 'src/a.ts', 'committed\n'), sh(d, ['commit', '-q', '-am', 'agent']), write(d, 'src/b.ts', 'after\n'), write(d, 'src/c.ts', 'new\n'))],
];

async function streamTree(repo: string, stream: string) {
  const top = await openRepository(repo);
  const base = await resolveBase(top);
  const run = mkdtempSync(path.join(tmpdir(), 'godmode-wt-eq-run-'));
  const dir = path.join(run, stream, 'work');
  await addWorktree({ repo: top, path: dir, branch: names.stream(stream), start: base });
  return { dir, kept: path.join(run, stream, 'snapshot.index') };
}

describe('a snapshot is the tree `git add -A` makes of the work tree', () => {
  it.each(changes)('%s', async (_what, change) => {
    const repo = richRepo();
    const checkout = { index: hash(path.join(repo, '.git/index')), status: sh(repo, ['status', '--porcelain', '--untracked-files=all']), head: sh(repo, ['rev-parse', 'HEAD']) };
    const { dir, kept } = await streamTree(repo, 's');
    // The kept index is warm: it has seen the tree before the change.
    await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 1), index: kept });
    change(dir);
    const own = sh(dir, ['rev-parse', '--path-format=absolute', '--git-path', 'index']);
    const before = { index: hash(own), head: sh(dir, ['rev-parse', 'HEAD']), status: sh(dir, ['status', '--porcelain', '--untracked-files=all']) };
    const want = reference(dir);

    const fresh = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 2) });
    const warm = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 3), index: kept });
    const again = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 4), index: kept });
    expect({ fresh: fresh.tree, warm: warm.tree, again: again.tree }).toEqual({ fresh: want, warm: want, again: want });
    // A snapshot is HEAD itself exactly when the tree is HEAD's; otherwise a commit on top of HEAD.
    const head = sh(dir, ['rev-parse', 'HEAD']);
    const headTree = sh(dir, ['rev-parse', 'HEAD^{tree}']);
    for (const s of [fresh, warm, again]) {
      expect(s.head).toBe(head);
      if (want === headTree) expect(s.commit).toBe(head);
      else expect(sh(dir, ['rev-parse', `${s.commit}^`, `${s.commit}^{tree}`]).split('\n')).toEqual([head, want]);
      expect(sh(dir, ['rev-parse', s.ref])).toBe(s.commit);
    }
    // Nothing of the worktree's own state moved, nor anything of the user's checkout.
    expect({ index: hash(own), head: sh(dir, ['rev-parse', 'HEAD']), status: sh(dir, ['status', '--porcelain', '--untracked-files=all']) }).toEqual(before);
    expect({ index: hash(path.join(repo, '.git/index')), status: sh(repo, ['status', '--porcelain', '--untracked-files=all']), head: sh(repo, ['rev-parse', 'HEAD']) }).toEqual(checkout);
  });

  it('sees a change made in the same instant as the snapshot before it (racy folders and files)', async () => {
    const repo = richRepo();
    const { dir, kept } = await streamTree(repo, 's');
    for (let n = 1; n <= 6; n++) {
      await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 10 + n), index: kept });
      // At once after the snapshot: a new file in a folder it has just read, an in-place rewrite of the same
      // size (no folder changes), and a deletion.
      write(dir, `src/deep/new-${n}.ts`, `${n}\n`);
      write(dir, 'src/a.ts', `export const a = ${n};\n`);
      if (n === 3) rm(dir, 'src/deep/er/d.ts');
      const snap = await snapshotWorktree({ worktree: dir, ref: names.snapshot('s', 20 + n), index: kept });
      expect(snap.tree).toBe(reference(dir));
    }
  });
});

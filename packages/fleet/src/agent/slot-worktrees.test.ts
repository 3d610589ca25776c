import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchStart } from '../git/remote.js';
import { SlotWorktrees } from './slot-worktrees.js';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
const dir = mkdtempSync(path.join(tmpdir(), 'godmode-slots-'));
const clone = path.join(dir, 'clone');
mkdirSync(clone);
git(clone, 'init', '-q', '-b', 'main');
writeFileSync(path.join(clone, '.gitignore'), 'build/\n');
writeFileSync(path.join(clone, 'a.txt'), 'one\n');
git(clone, 'add', '-A');
git(clone, 'commit', '-q', '-m', 'one');
const first = git(clone, 'rev-parse', 'HEAD');
writeFileSync(path.join(clone, 'a.txt'), 'two\n');
git(clone, 'commit', '-qam', 'two');
const second = git(clone, 'rev-parse', 'HEAD');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SlotWorktrees', () => {
  it('hands a released worktree to the next attempt at its start commit with nothing of the last attempt left', async () => {
    const slots = new SlotWorktrees(clone, path.join(dir, 'work'));
    const w = await slots.acquire(first);
    expect(readFileSync(path.join(w, 'a.txt'), 'utf8')).toBe('one\n');
    // What a worker leaves: an edit, an untracked file, an ignored folder, a nested repository, a staged file.
    writeFileSync(path.join(w, 'a.txt'), 'edited\n');
    writeFileSync(path.join(w, 'new.txt'), 'x');
    mkdirSync(path.join(w, 'build'));
    writeFileSync(path.join(w, 'build', 'out.js'), 'x');
    mkdirSync(path.join(w, 'nested'));
    git(path.join(w, 'nested'), 'init', '-q');
    writeFileSync(path.join(w, 'staged.txt'), 'x');
    git(w, 'add', 'staged.txt');
    slots.release(w, true);
    const again = await slots.acquire(second);
    expect(again).toBe(w);
    expect(readFileSync(path.join(w, 'a.txt'), 'utf8')).toBe('two\n');
    for (const left of ['new.txt', 'build', 'nested', 'staged.txt']) expect(existsSync(path.join(w, left)), left).toBe(false);
    expect(git(w, 'status', '--porcelain', '--ignored')).toBe('');
    expect(git(w, 'rev-parse', 'HEAD')).toBe(second);
    // A worktree whose worker may live on is never handed out again.
    slots.release(again, false);
    const fresh = await slots.acquire(first);
    expect(fresh).not.toBe(w);
    await slots.close();
  });
});

describe('fetchStart', () => {
  it('asks the remote nothing on a first try whose base the clone has (a remote that does not exist is never reached)', async () => {
    const start = await fetchStart(clone, path.join(dir, 'no-such-remote.git'), { runId: 'r', stream: 's', attempt: 1, base: first, mayHaveSnapshot: false });
    expect(start).toEqual({ commit: first, resumed: false });
  });

  it('asks the remote on a retry (an earlier try may have pushed a snapshot)', async () => {
    await expect(fetchStart(clone, path.join(dir, 'no-such-remote.git'), { runId: 'r', stream: 's', attempt: 1, base: first, mayHaveSnapshot: true })).rejects.toThrow(/ls-remote/);
  });
});

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHeadRefs } from '../src/git/read-refs.js';
import { gitInit, real, sh, tempDir, writeTree } from './helpers/tree.js';

let root: { dir: string; remove: () => void };
beforeEach(() => {
  root = tempDir();
});
afterEach(() => root.remove());

describe('readHeadRefs agrees with git', () => {
  it('for loose refs, packed refs, a linked worktree and a detached HEAD', () => {
    const repo = path.join(root.dir, 'repo');
    writeTree(repo, { 'a.ts': real });
    gitInit(repo);
    expect(readHeadRefs(repo, ['main'])).toEqual({ branch: 'main', sha: sh(repo, 'rev-parse', 'HEAD'), mains: [{ ref: 'refs/heads/main', sha: sh(repo, 'rev-parse', 'HEAD') }] });
    sh(repo, 'pack-refs', '--all');
    expect(readHeadRefs(repo, ['main'])?.sha).toBe(sh(repo, 'rev-parse', 'HEAD'));
    const wt = path.join(root.dir, 'wt');
    sh(repo, 'worktree', 'add', '-q', '-b', 'feature', wt);
    writeTree(wt, { 'b.ts': real });
    sh(wt, 'add', '-A');
    sh(wt, 'commit', '-q', '-m', 'b');
    expect(readHeadRefs(wt, ['main', 'master'])).toEqual({
      branch: 'feature',
      sha: sh(wt, 'rev-parse', 'HEAD'),
      mains: [{ ref: 'refs/heads/main', sha: sh(repo, 'rev-parse', 'main') }],
    });
    sh(wt, 'switch', '-q', '--detach', 'HEAD~1');
    expect(readHeadRefs(wt, ['main'])).toMatchObject({ branch: null, sha: sh(wt, 'rev-parse', 'HEAD') });
  });

  it('returns null for an unborn HEAD', () => {
    const repo = path.join(root.dir, 'empty');
    mkdirSync(repo, { recursive: true });
    sh(repo, 'init', '-q', '-b', 'main');
    expect(readHeadRefs(repo, ['main'])).toBeNull();
  });
});

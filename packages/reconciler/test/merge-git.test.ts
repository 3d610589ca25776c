import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Stream, Verdict } from '@godmode/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupWorkTree, CleanupRefusedError, merge, reconcile } from '../src/index.js';
import { gitInit, real, sh, tempDir, writeTree } from './helpers/tree.js';

let root: { dir: string; remove: () => void };
let repo: string;

beforeEach(() => {
  root = tempDir();
  repo = path.join(root.dir, 'repo');
  writeTree(repo, { 'README.md': '# app\n\nshared line\n' });
  gitInit(repo);
});
afterEach(() => root.remove());

/** A stream work tree as a linked git worktree of the integration repo, on its own branch. */
function streamTree(id: string, files: Record<string, string>, commit = true): string {
  const work = path.join(root.dir, 'streams', id, 'work');
  sh(repo, 'worktree', 'add', '-q', '-b', `stream/${id}`, work, 'main');
  writeTree(work, files);
  if (commit) {
    sh(work, 'add', '-A');
    sh(work, 'commit', '-q', '-m', `work of ${id}`);
  }
  return work;
}

async function verdictOf(id: string, work: string, deliverables: string[]): Promise<{ stream: Stream; verdict: Verdict; workTree: string }> {
  const stream = { id, deliverables: deliverables.map((p) => ({ path: p })), worker: { adapter: 'command', options: { command: 'true' } } } as unknown as Stream;
  return { stream, verdict: await reconcile({ stream, workTree: work, claim: undefined }), workTree: work };
}

describe('merge, git mode', () => {
  it('merges two shipped streams that touch different files', async () => {
    const a = await verdictOf('auth', streamTree('auth', { 'src/auth.ts': real }), ['src/auth.ts']);
    const b = await verdictOf('api', streamTree('api', { 'src/api.ts': real }), ['src/api.ts']);
    expect(a.verdict.evidence.git).toMatchObject({ branch: 'stream/auth', commitsSinceBase: 1, uncommittedChanges: 0 });
    const result = await merge({ mode: 'git', streams: [a, b], outputDir: repo });
    expect(result).toEqual({ merged: ['auth', 'api'], skipped: [], conflicts: [] });
    expect(sh(repo, 'branch', '--show-current')).toBe('godmode/integration');
    expect(sh(repo, 'ls-tree', '-r', '--name-only', 'godmode/integration').split('\n').sort()).toEqual(['README.md', 'src/api.ts', 'src/auth.ts']);
    expect(sh(repo, 'rev-list', '--count', '--merges', 'godmode/integration')).toBe('2');
  });

  it('reports a conflict with the files named and leaves the integration branch unchanged', async () => {
    const a = await verdictOf('one', streamTree('one', { 'README.md': '# app\n\nline from one\n', 'src/one.ts': real }), ['src/one.ts']);
    const b = await verdictOf('two', streamTree('two', { 'README.md': '# app\n\nline from two\n', 'src/two.ts': real }), ['src/two.ts']);
    const first = await merge({ mode: 'git', streams: [a], outputDir: repo });
    expect(first.merged).toEqual(['one']);
    const before = sh(repo, 'rev-parse', 'godmode/integration');
    const result = await merge({ mode: 'git', streams: [b], outputDir: repo });
    expect(result.merged).toEqual([]);
    expect(result.conflicts).toEqual([{ stream: 'two', files: ['README.md'] }]);
    expect(sh(repo, 'rev-parse', 'godmode/integration')).toBe(before);
    expect(sh(repo, 'status', '--porcelain')).toBe('');
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8')).toContain('line from one');
  });

  it('merges uncommitted work as found on disk, without touching the worker branch', async () => {
    const work = streamTree('loose', { 'src/loose.ts': real }, false);
    const s = await verdictOf('loose', work, ['src/loose.ts']);
    expect(s.verdict.evidence.git?.uncommittedChanges).toBe(1);
    const branchBefore = sh(work, 'rev-parse', 'HEAD');
    const result = await merge({ mode: 'git', streams: [s], outputDir: repo });
    expect(result.merged).toEqual(['loose']);
    expect(existsSync(path.join(repo, 'src/loose.ts'))).toBe(true);
    expect(sh(work, 'rev-parse', 'HEAD')).toBe(branchBefore);
  });

  it('skips missing streams and partial ones unless allowed', async () => {
    const partial = await verdictOf('half', streamTree('half', { 'a.ts': real }), ['a.ts', 'b.ts']);
    const missing = await verdictOf('none', streamTree('none', { 'x.ts': 'TODO' }), ['a.ts']);
    expect(partial.verdict.status).toBe('partial');
    const result = await merge({ mode: 'git', streams: [partial, missing], outputDir: repo });
    expect(result.merged).toEqual([]);
    expect(result.skipped.map((s) => s.stream)).toEqual(['half', 'none']);
    const allowed = await merge({ mode: 'git', streams: [partial], outputDir: repo, includePartial: () => true });
    expect(allowed.merged).toEqual(['half']);
  });

  it('cleanup refuses unmerged work, deletes merged work, and saves to a ref on request', async () => {
    const merged = await verdictOf('m', streamTree('m', { 'm.ts': real }), ['m.ts']);
    // committed work survives on its branch; uncommitted work would be lost
    const unmerged = streamTree('u', { 'u.ts': real }, false);
    await merge({ mode: 'git', streams: [merged], outputDir: repo });
    await expect(cleanupWorkTree({ stream: 'u', workTree: unmerged, mode: 'git', outputDir: repo })).rejects.toSatisfy(CleanupRefusedError.isInstance);
    expect(existsSync(unmerged)).toBe(true);
    expect(await cleanupWorkTree({ stream: 'm', workTree: merged.workTree, mode: 'git', outputDir: repo })).toEqual({ removed: true, savedRef: null });
    expect(existsSync(merged.workTree)).toBe(false);
    const saved = await cleanupWorkTree({ stream: 'u', workTree: unmerged, mode: 'git', outputDir: repo, save: true });
    expect(saved).toEqual({ removed: true, savedRef: 'refs/godmode/saved/u' });
    expect(sh(repo, 'ls-tree', '-r', '--name-only', 'refs/godmode/saved/u')).toContain('u.ts');
    expect(existsSync(unmerged)).toBe(false);
  });
});

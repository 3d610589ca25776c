import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Stream } from '@godmode/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupWorkTree, CleanupRefusedError, merge, reconcile } from '../src/index.js';
import { real, tempDir, writeTree } from './helpers/tree.js';

let root: { dir: string; remove: () => void };
beforeEach(() => {
  root = tempDir();
});
afterEach(() => root.remove());

async function shipped(id: string, files: Record<string, string>) {
  const workTree = path.join(root.dir, id);
  writeTree(workTree, files);
  const stream = { id, deliverables: Object.keys(files).map((p) => ({ path: p })) } as unknown as Stream;
  return { stream, verdict: await reconcile({ stream, workTree }), workTree };
}

describe('merge, folder mode', () => {
  it('copies deliverables and refuses to overwrite a file another stream shipped with different content', async () => {
    const out = path.join(root.dir, 'merged');
    const a = await shipped('a', { 'src/a.ts': real, 'shared.ts': 'export const who = "a";\n' });
    const b = await shipped('b', { 'src/b.ts': real, 'shared.ts': 'export const who = "b";\n' });
    const c = await shipped('c', { 'src/c.ts': real, 'shared.ts': 'export const who = "a";\n' });
    const result = await merge({ mode: 'folder', streams: [a, b, c], outputDir: out });
    expect(result.merged).toEqual(['a', 'c']);
    expect(result.conflicts).toEqual([{ stream: 'b', files: ['shared.ts'] }]);
    expect(readFileSync(path.join(out, 'shared.ts'), 'utf8')).toContain('"a"');
    expect(existsSync(path.join(out, 'src/b.ts'))).toBe(false);
    // merging the same stream again is idempotent
    expect((await merge({ mode: 'folder', streams: [a], outputDir: out })).merged).toEqual(['a']);
  });

  it('cleanup deletes a merged folder tree and refuses one with unmerged files', async () => {
    const out = path.join(root.dir, 'merged');
    const a = await shipped('a', { 'a.ts': real });
    await merge({ mode: 'folder', streams: [a], outputDir: out });
    writeTree(a.workTree, { 'notes.md': '# later\n\nmore\n' });
    await expect(cleanupWorkTree({ stream: 'a', workTree: a.workTree, mode: 'folder', outputDir: out })).rejects.toSatisfy(
      (e: unknown) => CleanupRefusedError.isInstance(e) && e.unsaved.includes('notes.md'),
    );
    const b = await shipped('b', { 'b.ts': real });
    await merge({ mode: 'folder', streams: [b], outputDir: out });
    expect((await cleanupWorkTree({ stream: 'b', workTree: b.workTree, mode: 'folder', outputDir: out })).removed).toBe(true);
    expect(existsSync(b.workTree)).toBe(false);
  });

  it('writes each file whole (write-file-atomic): concurrent merges into one folder all succeed, modes kept, no temp file left', async () => {
    const out = path.join(root.dir, 'merged');
    const a = await shipped('a', { 'bin/run.sh': '#!/bin/sh\necho "running the tool"\n', 'src/a.ts': real });
    chmodSync(path.join(a.workTree, 'bin/run.sh'), 0o755);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => merge({ mode: 'folder', streams: [a], outputDir: out })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(statSync(path.join(out, 'bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(out, 'src/a.ts')).mode & 0o777).toBe(statSync(path.join(a.workTree, 'src/a.ts')).mode & 0o777);
    expect(readFileSync(path.join(out, 'src/a.ts'), 'utf8')).toBe(real);
    expect(Object.keys(JSON.parse(readFileSync(path.join(out, '.godmode-merged.json'), 'utf8'))).sort()).toEqual(['bin/run.sh', 'src/a.ts']);
    const all = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(path.join(dir, e.name)) : [e.name]));
    expect(all(out).filter((f) => !['run.sh', 'a.ts', '.godmode-merged.json'].includes(f))).toEqual([]);
  });
});

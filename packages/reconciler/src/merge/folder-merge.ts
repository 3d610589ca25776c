import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { inspectFile } from '../evidence/inspect-file.js';
import { LinkCensus } from '../evidence/link-census.js';
import { resolveWorkTree } from '../evidence/work-tree-root.js';
import type { MergeInput, MergeResult } from './merge-types.js';
import { selectStreams } from './merge-types.js';

/** Which stream put which file into the output tree, so a later merge can tell its own files from others'. */
export const manifestName = '.godmode-merged.json';
type Manifest = Record<string, { stream: string; sha256: string }>;

async function sha256Of(file: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * Copies each merged stream's deliverable files (the ones its verdict counted) into the output tree —
 * their content, never a link: the copy is a new file, whatever the source's hard links.
 * A work tree that is a symlink or whose real path leaves `within` is never merged (evidence of tampering).
 * A stream goes in whole or not at all: if any of its files would overwrite a different file that
 * another stream shipped (or that was there before), the stream is reported as a conflict and nothing of
 * it is copied. A file that changed since the verdict is re-checked and must still count.
 */
export async function folderMerge(input: MergeInput): Promise<MergeResult> {
  const { take, skipped } = selectStreams(input);
  const out = path.resolve(input.outputDir);
  await mkdir(out, { recursive: true });
  const manifestFile = path.join(out, manifestName);
  let manifest: Manifest = {};
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
  } catch {
    manifest = {};
  }
  const merged: string[] = [];
  const conflicts: MergeResult['conflicts'] = [];
  const touched = new Set<string>();
  for (const { stream, verdict, workTree } of take) {
    const { root, tampered } = await resolveWorkTree(workTree, input.within);
    if (root === null) {
      skipped.push({ stream: stream.id, reason: tampered ?? 'its work tree is gone' });
      continue;
    }
    const links = new LinkCensus(root);
    const dirs = new Map<string, Promise<string | null>>();
    const files = verdict.evidence.deliverables.flatMap((d) => d.files);
    const plan: Array<{ rel: string; sha256: string }> = [];
    const clashes: string[] = [];
    const stale: string[] = [];
    for (const f of files) {
      const now = await inspectFile(root, f.path, undefined, dirs, links);
      if (!now.ok) {
        stale.push(f.path);
        continue;
      }
      const dest = path.join(out, f.path);
      const existing = await sha256Of(dest);
      const owner = manifest[f.path];
      if (existing !== null && existing !== now.evidence.sha256 && owner?.stream !== stream.id) clashes.push(f.path);
      else plan.push({ rel: f.path, sha256: now.evidence.sha256 });
    }
    if (clashes.length > 0) {
      conflicts.push({ stream: stream.id, files: clashes.sort() });
      continue;
    }
    for (const { rel, sha256 } of plan) {
      const dest = path.join(out, rel);
      await mkdir(path.dirname(dest), { recursive: true });
      // The content (never a link), replaced whole: a unique temp file, fsync, rename (write-file-atomic); the source's mode kept.
      const source = path.join(root, rel);
      const [content, { mode }] = await Promise.all([readFile(source), stat(source)]);
      await writeFileAtomic(dest, content, { mode: mode & 0o777, fsync: true });
      touched.add(path.dirname(dest));
      manifest[rel] = { stream: stream.id, sha256 };
    }
    merged.push(stream.id);
    if (stale.length > 0) skipped.push({ stream: stream.id, reason: `merged without ${stale.length} file(s) that no longer count: ${stale.join(', ')}` });
  }
  await writeFileAtomic(manifestFile, JSON.stringify(manifest, null, 2) + '\n', { fsync: true });
  // The renames themselves survive a power cut once their folders are synced.
  for (const dir of [...touched, out]) await fsyncDir(dir);
  return { merged, skipped, conflicts };
}

async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

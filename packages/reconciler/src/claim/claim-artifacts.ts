import { lstatSync } from 'node:fs';
import path from 'node:path';
import { staysInside } from '@godmode/protocol';
import type { HashCache } from '../evidence/hash-cache.js';
import { inspectFile, isInside } from '../evidence/inspect-file.js';
import type { LinkCensus } from '../evidence/link-census.js';

/**
 * The artifacts a claim names that are not on disk. A named path is there when it is a file that would
 * count as a deliverable (regular, inside the tree, not a stub, no outside hard link) or a folder inside
 * the tree. Absolute paths are taken relative to the work tree when they point into it (as given, or
 * through its real path); any other absolute path, or one that climbs out, is not there.
 */
export async function absentArtifacts(
  realRoot: string | null,
  workTree: string,
  artifacts: readonly string[],
  context: { cache?: HashCache; dirs: Map<string, Promise<string | null>>; links?: LinkCensus },
): Promise<string[]> {
  const absent: string[] = [];
  for (const named of artifacts) {
    if (realRoot === null) {
      absent.push(named);
      continue;
    }
    let rel = named.replace(/\\/g, '/');
    if (path.isAbsolute(rel)) {
      const base = [path.resolve(workTree), realRoot].find((b) => rel === b || isInside(b, rel));
      rel = base === undefined ? '' : path.relative(base, rel).split(path.sep).join('/');
    }
    rel = rel.replace(/^\.\//, '').replace(/\/+$/, '');
    if (rel === '' || !staysInside(rel)) {
      absent.push(named);
      continue;
    }
    const full = path.join(realRoot, rel);
    let isDir = false;
    try {
      isDir = lstatSync(full).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir && isInside(realRoot, full)) continue;
    const seen = await inspectFile(realRoot, rel, context.cache, context.dirs, context.links);
    if (!seen.ok) absent.push(named);
  }
  return absent;
}

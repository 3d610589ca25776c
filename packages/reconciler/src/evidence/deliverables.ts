import { describeDeliverable, isGlobDeliverable, staysInside, type Deliverable, type DeliverableEvidence } from '@godmode/protocol';
import { glob } from 'tinyglobby';
import type { HashCache } from './hash-cache.js';
import { inspectFile } from './inspect-file.js';
import { LinkCensus } from './link-census.js';

/** Folders never searched by a glob: dependencies and git's own store are not a worker's deliverables. */
export const skippedFolders = ['node_modules', '.git'] as const;
const ignore = skippedFolders.map((f) => `**/${f}/**`);

/** Evidence for one deliverable. `realRoot` is null when the work tree is not there at all. */
export async function deliverableEvidence(
  realRoot: string | null,
  deliverable: Deliverable,
  cache?: HashCache,
  /** Filled with path → git blob id of every file that counts (for git evidence). */
  blobs?: Map<string, string>,
  /** Real paths of folders, shared across the deliverables of one reconcile. */
  dirs: Map<string, Promise<string | null>> = new Map(),
  /** Hard-link census of the tree, shared across the deliverables of one reconcile. */
  links?: LinkCensus,
): Promise<DeliverableEvidence> {
  const label = describeDeliverable(deliverable);
  if (realRoot === null) return { deliverable: label, ok: false, files: [], reasons: ['the work tree does not exist'] };
  links ??= new LinkCensus(realRoot);
  if (!isGlobDeliverable(deliverable)) {
    const seen = await inspectFile(realRoot, deliverable.path, cache, dirs, links);
    if (seen.ok) blobs?.set(seen.evidence.path, seen.gitBlob);
    return seen.ok
      ? { deliverable: label, ok: true, files: [seen.evidence], reasons: [] }
      : { deliverable: label, ok: false, files: [], reasons: [seen.reason] };
  }
  if (!staysInside(deliverable.glob.replace(/\*\*\/?|\*/g, 'x'))) {
    return { deliverable: label, ok: false, files: [], reasons: [`${deliverable.glob}: glob escapes the work tree`] };
  }
  let matches: string[];
  try {
    matches = await glob(deliverable.glob, { cwd: realRoot, ignore, dot: true, onlyFiles: false, expandDirectories: false, followSymbolicLinks: false });
  } catch (error) {
    return { deliverable: label, ok: false, files: [], reasons: [`${deliverable.glob}: cannot search (${String((error as Error).message ?? error)})`] };
  }
  matches.sort();
  const files = [];
  const reasons: string[] = [];
  // In parallel: a glob can match hundreds of files, and each look is a realpath and a stat.
  const seen = await Promise.all(matches.filter((m) => !m.endsWith('/')).map((m) => inspectFile(realRoot, m, cache, dirs, links)));
  for (const s of seen) {
    if (s.ok) {
      files.push(s.evidence);
      blobs?.set(s.evidence.path, s.gitBlob);
    } else {
      reasons.push(s.reason);
    }
  }
  const ok = files.length >= deliverable.min;
  if (!ok) reasons.unshift(`${deliverable.glob}: ${files.length} of at least ${deliverable.min} files`);
  return { deliverable: label, ok, files, reasons };
}

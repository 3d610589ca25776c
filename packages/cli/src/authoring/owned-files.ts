import { isGlobDeliverable, type Stream } from '@godmode/protocol';
import picomatch from 'picomatch';

/** The globs a stream owns: its `owns:` when declared, else its deliverables (paths and globs). */
export function ownedGlobs(stream: Pick<Stream, 'owns' | 'deliverables'>): string[] {
  if (stream.owns && stream.owns.length > 0) return stream.owns;
  return stream.deliverables.map((d) => (isGlobDeliverable(d) ? d.glob : d.path));
}

/**
 * The changed files (relative to the work tree) that lie outside what a stream owns — evidence for the merge
 * queue and the receipt, not a verdict. A stream that declares nothing (no owns, no deliverables) owns nothing
 * in particular, so nothing it changed is reported.
 */
export function filesOutsideOwns(stream: Pick<Stream, 'owns' | 'deliverables'>, changedFiles: readonly string[]): string[] {
  const globs = ownedGlobs(stream);
  if (globs.length === 0) return [];
  const owned = picomatch(globs, { dot: true });
  return changedFiles.filter((file) => !owned(file.replaceAll('\\', '/')));
}

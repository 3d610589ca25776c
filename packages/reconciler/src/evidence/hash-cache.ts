/** What the reconciler learns from reading a file once: its hash and whether it is a stub. */
export interface FileFacts {
  sha256: string;
  /** The git blob id of the content (sha1 of `blob <size>\0<content>`), to tell committed from not. */
  gitBlob: string;
  stub: string | null;
}

/**
 * Remembers file facts by path and (size, mtimeMs, ino), so a repeat reconcile of an unchanged tree
 * only stats. A changed file gets a new mtime or size (or a new inode when replaced by rename), so a
 * stale entry is never returned for it. In memory only; share one across reconciles of a run.
 */
export class HashCache {
  private readonly entries = new Map<string, { key: string; facts: FileFacts }>();

  static key(stat: { size: number; mtimeMs: number; ino: number }): string {
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  }

  get(file: string, stat: { size: number; mtimeMs: number; ino: number }): FileFacts | undefined {
    const hit = this.entries.get(file);
    return hit && hit.key === HashCache.key(stat) ? hit.facts : undefined;
  }

  set(file: string, stat: { size: number; mtimeMs: number; ino: number }, facts: FileFacts): void {
    this.entries.set(file, { key: HashCache.key(stat), facts });
  }

  /** Results of git queries that depend only on immutable objects (e.g. a commit's tree), by key. */
  readonly memo = new Map<string, unknown>();

  get size(): number {
    return this.entries.size;
  }
}

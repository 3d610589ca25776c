import { createHash } from 'node:crypto';
import { closeSync, createReadStream, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { staysInside, type FileEvidence } from '@godmode/protocol';
import { StubScanner, stubReason } from '../stub/stub-rules.js';
import { HashCache, type FileFacts } from './hash-cache.js';
import { LinkCensus } from './link-census.js';

/** File evidence as the reconciler records it: the protocol's fields plus `nlink` (the file's hard-link count). */
export type RecordedFileEvidence = FileEvidence & { nlink: number };
export type Inspection = { ok: true; evidence: RecordedFileEvidence; gitBlob: string } | { ok: false; reason: string };

/** Files up to this size are read in one synchronous read; larger ones are streamed. */
const oneReadBytes = 64 * 1024;

/** True when `target` is `root` itself or below it (both absolute, already real paths). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Looks at one candidate deliverable. Never throws: every way a file can be wrong is a reason.
 * `realRoot` is the work tree's real path; `rel` is the path as the plan names it (posix, relative).
 *
 * Symlinks: one that resolves to a regular file inside the work tree counts (a worker may link a
 * generated file into place); one that resolves outside it, or dangles, never counts. The same holds
 * for a symlinked folder on the way.
 */
export async function inspectFile(
  realRoot: string,
  rel: string,
  cache?: HashCache,
  dirs: Map<string, Promise<string | null>> = new Map(),
  /** Names of each inode inside the tree, counted once per reconcile and only when a file has nlink > 1. */
  links: LinkCensus = new LinkCensus(realRoot),
): Promise<Inspection> {
  const full = path.join(realRoot, rel);
  if (!staysInside(rel) || !isInside(realRoot, path.resolve(full))) return { ok: false, reason: `${rel}: path escapes the work tree` };
  // Fast path: a plain file (not a symlink) whose folder resolves inside the tree — one lstat, and one
  // realpath per folder. Anything else takes the full realpath of the file itself.
  // Synchronous metadata calls and small reads on purpose: each takes microseconds on a local disk, while the
  // promise API adds a thread-pool round trip, a FileHandle and garbage per call — with 1,000+ files that
  // overhead was most of a reconcile (see bench/reconcile). Big files are still streamed.
  let st = attempt(() => lstatSync(full));
  let real: string;
  if (!(st instanceof Error) && !st.isSymbolicLink()) {
    const dir = await realDir(path.dirname(full), dirs);
    if (dir === null) return { ok: false, reason: `${rel}: cannot resolve its folder` };
    real = path.join(dir, path.basename(full));
  } else {
    try {
      real = realpathSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return { ok: false, reason: !(st instanceof Error) && st.isSymbolicLink() ? `${rel}: dangling symlink` : `${rel}: not on disk` };
      }
      if (code === 'ELOOP') return { ok: false, reason: `${rel}: symlink loop` };
      return { ok: false, reason: `${rel}: cannot resolve (${code ?? String(error)})` };
    }
    st = attempt(() => statSync(real));
  }
  if (!isInside(realRoot, real)) return { ok: false, reason: `${rel}: symlink leads outside the work tree` };
  if (st instanceof Error) return { ok: false, reason: `${rel}: cannot stat (${st.code ?? String(st)})` };
  if (!st.isFile()) return { ok: false, reason: `${rel}: not a regular file (${kindOf(st)})` };
  if (st.size === 0) return { ok: false, reason: `${rel}: stub: empty (0 bytes)` };
  if (st.nlink > 1) {
    // A hard link shares its content with every other name of the inode. Names outside the tree mean the
    // content is someone else's file (`ln /etc/passwd out.txt`): it never counts. Links within the tree are fine.
    const inside = await links.namesOf(st.dev, st.ino);
    if (inside < st.nlink) return { ok: false, reason: `${rel}: hard link to a file outside the work tree (nlink ${st.nlink}, ${inside} inside)` };
  }
  let facts = cache?.get(real, st);
  if (!facts) {
    try {
      facts = await readFacts(real, st.size);
    } catch (error) {
      return { ok: false, reason: `${rel}: unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    cache?.set(real, st, facts);
  }
  if (facts.stub) return { ok: false, reason: `${rel}: stub: ${facts.stub}` };
  return { ok: true, evidence: { path: rel, size: st.size, sha256: facts.sha256, mtimeMs: st.mtimeMs, nlink: st.nlink }, gitBlob: facts.gitBlob };
}

function attempt(fn: () => Stats): Stats | NodeJS.ErrnoException {
  try {
    return fn();
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

/** A folder's real path, memoised for one reconcile (`dirs`), or null when it does not resolve. */
function realDir(dir: string, dirs: Map<string, Promise<string | null>>): Promise<string | null> {
  let hit = dirs.get(dir);
  if (!hit) {
    let real: string | null = null;
    try {
      real = realpathSync(dir);
    } catch {
      real = null;
    }
    hit = Promise.resolve(real);
    dirs.set(dir, hit);
  }
  return hit;
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}

/** Small files: one read for the stub rules and both hashes. Large ones: streamed through the hashes and the stub scanner. */
async function readFacts(file: string, size: number): Promise<FileFacts> {
  if (size <= oneReadBytes) {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, buffer, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      const bytes = buffer.subarray(0, read);
      const blob = createHash('sha1').update(`blob ${read}\0`).update(bytes).digest('hex');
      return { sha256: createHash('sha256').update(bytes).digest('hex'), gitBlob: blob, stub: stubReason(bytes) };
    } finally {
      closeSync(fd);
    }
  }
  const hash = createHash('sha256');
  const blob = createHash('sha1').update(`blob ${size}\0`);
  const scan = new StubScanner();
  await new Promise<void>((resolve, reject) => {
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => {
        hash.update(chunk);
        blob.update(chunk);
        scan.push(chunk as Buffer);
      })
      .on('error', reject)
      .on('end', resolve);
  });
  return { sha256: hash.digest('hex'), gitBlob: blob.digest('hex'), stub: scan.finish() };
}

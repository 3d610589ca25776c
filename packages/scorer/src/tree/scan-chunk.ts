import type * as Fs from 'node:fs';

/** What one scanner (the main thread or a worker) is asked to read. Plain data: it crosses a thread. */
export interface ChunkInput {
  files: Array<[abs: string, rel: string]>;
  secretSource: string;
  secretPrefixes: string[];
  canarySource: string | null;
  /** Files whose text is sent back (SQL migrations, sampled sources). */
  keep: string[];
  keepSql: boolean;
  /** Window size: files are read this much at a time (and kept texts cut here). */
  maxBytes: number;
  /** Bytes consecutive windows share, longer than any match (default 1 MiB, at most half a window). */
  overlap?: number;
}

export interface ChunkOutput {
  bytes: number;
  /** Kept texts (sources, SQL) cut at `maxBytes`; their secrets and canaries were still searched whole. */
  truncated: string[];
  /** [file, index of the matching rule, token, line] */
  secrets: Array<[string, number, string, number]>;
  /** [file, matched needle text] */
  canaries: Array<[string, string]>;
  texts: Array<[string, string]>;
}

/**
 * Reads files and runs the secret and canary patterns over them. Self-contained on purpose — it uses
 * nothing but its arguments — so that the same function runs on the main thread and, through its
 * source text, in a worker thread: on a two-core machine the two halves of a big tree are read at once.
 *
 * Every byte of every file is searched, however big: a file larger than `maxBytes` is read in windows of
 * `maxBytes` that overlap by `overlap` bytes, so memory stays bounded and a match that straddles two
 * windows is still found (once: a match belongs to the window its start falls in before the overlap).
 * Only the text kept for parsing (`keep`, SQL) is cut at `maxBytes`; those files are listed in `truncated`.
 */
export function scanChunk(fs: typeof Fs, input: ChunkInput): ChunkOutput {
  const out: ChunkOutput = { bytes: 0, truncated: [], secrets: [], canaries: [], texts: [] };
  const secretPattern = new RegExp(input.secretSource, 'g');
  const canaryPattern = input.canarySource === null ? null : new RegExp(input.canarySource, 'g');
  const keep = new Set(input.keep);
  const windowBytes = Math.max(input.maxBytes, 1);
  const overlap = Math.min(input.overlap ?? 1024 * 1024, Math.floor(windowBytes / 2));
  const shared = Buffer.allocUnsafe(Math.min(256 * 1024, windowBytes));
  let big: Buffer | null = null;
  for (const [abs, rel] of input.files) {
    let fd = -1;
    try {
      fd = fs.openSync(abs, 'r');
    } catch {
      continue;
    }
    try {
      const seen = new Set<string>();
      let start = 0;
      let linesBefore = 0;
      let first = true;
      for (;;) {
        // One window: [start, start + read) of the file.
        let buffer: Buffer = shared;
        let read = fs.readSync(fd, shared, 0, shared.length, start);
        if (read === shared.length && read < windowBytes) {
          if (big === null || big.length < windowBytes) big = Buffer.allocUnsafe(windowBytes);
          buffer = big;
          shared.copy(buffer, 0, 0, read);
          while (read < windowBytes) {
            const n = fs.readSync(fd, buffer, read, windowBytes - read, start + read);
            if (n === 0) break;
            read += n;
          }
        }
        const text = buffer.toString('latin1', 0, read);
        // Is there more after this window? Peek one byte rather than trusting a size that may grow.
        const last = read < windowBytes || fs.readSync(fd, Buffer.alloc(1), 0, 1, start + read) === 0;
        // Matches starting at or after `own` belong to the next window (they may run past this one).
        const own = last ? text.length : text.length - overlap;
        out.bytes += first ? read : read - overlap;
        let maybeSecret = false;
        for (const p of input.secretPrefixes) {
          if (text.includes(p)) {
            maybeSecret = true;
            break;
          }
        }
        if (maybeSecret) {
          secretPattern.lastIndex = 0;
          let line = linesBefore + 1;
          let counted = 0;
          for (let m = secretPattern.exec(text); m !== null; m = secretPattern.exec(text)) {
            if (m.index >= own) break;
            let group = -1;
            for (let g = 1; g < m.length; g++) {
              if (m[g] !== undefined) {
                group = g - 1;
                break;
              }
            }
            for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) {
              line++;
              counted = i + 1;
            }
            out.secrets.push([rel, group, m[0], line]);
          }
        }
        if (canaryPattern !== null) {
          canaryPattern.lastIndex = 0;
          for (let m = canaryPattern.exec(text); m !== null; m = canaryPattern.exec(text)) {
            if (m.index >= own) break;
            if (!seen.has(m[0])) {
              seen.add(m[0]);
              out.canaries.push([rel, m[0]]);
            }
          }
        }
        if (first && (keep.has(rel) || (input.keepSql && rel.endsWith('.sql')))) {
          out.texts.push([rel, text]);
          if (!last) out.truncated.push(rel);
        }
        if (last) break;
        // Line numbers of secrets in later windows count from the file's start.
        for (let i = text.indexOf('\n'); i !== -1 && i < own; i = text.indexOf('\n', i + 1)) linesBefore++;
        start += own;
        first = false;
      }
    } catch {
      // vanished or unreadable mid-way: what was read is reported
    } finally {
      fs.closeSync(fd);
    }
  }
  return out;
}

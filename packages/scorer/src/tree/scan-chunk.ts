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
  maxBytes: number;
}

export interface ChunkOutput {
  bytes: number;
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
 */
export function scanChunk(fs: typeof Fs, input: ChunkInput): ChunkOutput {
  const out: ChunkOutput = { bytes: 0, truncated: [], secrets: [], canaries: [], texts: [] };
  const secretPattern = new RegExp(input.secretSource, 'g');
  const canaryPattern = input.canarySource === null ? null : new RegExp(input.canarySource, 'g');
  const keep = new Set(input.keep);
  const shared = Buffer.allocUnsafe(256 * 1024);
  for (const [abs, rel] of input.files) {
    let text: string;
    let fd = -1;
    try {
      fd = fs.openSync(abs, 'r');
      const first = fs.readSync(fd, shared, 0, Math.min(shared.length, input.maxBytes), 0);
      if (first < shared.length || first >= input.maxBytes) {
        text = shared.toString('latin1', 0, first);
        if (first >= input.maxBytes && fs.fstatSync(fd).size > input.maxBytes) out.truncated.push(rel);
      } else {
        const size = fs.fstatSync(fd).size;
        const length = Math.min(size, input.maxBytes);
        const buffer = Buffer.allocUnsafe(Math.max(length, first));
        shared.copy(buffer, 0, 0, first);
        let read = first;
        while (read < length) {
          const n = fs.readSync(fd, buffer, read, length - read, read);
          if (n === 0) break;
          read += n;
        }
        text = buffer.toString('latin1', 0, read);
        if (size > input.maxBytes) out.truncated.push(rel);
      }
    } catch {
      continue;
    } finally {
      if (fd !== -1) fs.closeSync(fd);
    }
    out.bytes += text.length;
    let maybeSecret = false;
    for (const p of input.secretPrefixes) {
      if (text.includes(p)) {
        maybeSecret = true;
        break;
      }
    }
    if (maybeSecret) {
      secretPattern.lastIndex = 0;
      for (let m = secretPattern.exec(text); m !== null; m = secretPattern.exec(text)) {
        let group = -1;
        for (let g = 1; g < m.length; g++) {
          if (m[g] !== undefined) {
            group = g - 1;
            break;
          }
        }
        let line = 1;
        for (let i = text.indexOf('\n'); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
        out.secrets.push([rel, group, m[0], line]);
      }
    }
    if (canaryPattern !== null) {
      canaryPattern.lastIndex = 0;
      const seen = new Set<string>();
      for (let m = canaryPattern.exec(text); m !== null; m = canaryPattern.exec(text)) {
        if (!seen.has(m[0])) {
          seen.add(m[0]);
          out.canaries.push([rel, m[0]]);
        }
      }
    }
    if (keep.has(rel) || (input.keepSql && rel.endsWith('.sql'))) out.texts.push([rel, text]);
  }
  return out;
}

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Follows a log file from an offset: returns what was appended since the last read, split into complete
 * lines (a partial last line waits for its newline). Workers write the file themselves, so nothing is
 * lost when the supervisor dies: a new one resumes at the recorded offset.
 */
export class LogTail {
  offset: number;
  private partial = '';

  constructor(
    readonly path: string,
    offset = 0,
  ) {
    this.offset = offset;
  }

  read(maxBytes = 4 << 20): { bytes: number; lines: string[] } {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return { bytes: 0, lines: [] };
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return { bytes: 0, lines: [] };
      const length = Math.min(size - this.offset, maxBytes);
      const buffer = Buffer.allocUnsafe(length);
      const n = readSync(fd, buffer, 0, length, this.offset);
      this.offset += n;
      const text = this.partial + buffer.subarray(0, n).toString('utf8');
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      return { bytes: n, lines: parts };
    } finally {
      closeSync(fd);
    }
  }

  /** The unterminated last line, once the writer is gone. */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? [rest] : [];
  }
}

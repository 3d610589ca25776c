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
    readonly options: { capBytes?: number | null } = {},
  ) {
    this.offset = offset;
  }

  /** Kept open between reads: with 50 workers, reopening both logs every period was most of the cost. */
  private fd: number | null = null;

  read(maxBytes = 4 << 20): { bytes: number; lines: string[] } {
    if (this.fd === null) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return { bytes: 0, lines: [] };
      }
    }
    const fd = this.fd;
    {
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
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** The unterminated last line, once the writer is gone. */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? [rest] : [];
  }
}

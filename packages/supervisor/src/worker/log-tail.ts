import { appendFileSync, closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, truncateSync, writeFileSync } from 'node:fs';

export interface LogTailOptions {
  /**
   * Keep the log file under this many bytes: past it, the first quarter (the head) and the last quarter (the
   * tail) are kept, the middle is replaced by one line saying how much was dropped. null: never rotated.
   */
  capBytes?: number | null;
  /** A line longer than this is cut to its first 64 KiB; the rest is counted and dropped, never held. */
  maxLineBytes?: number;
}

const keptOfLongLine = 64 << 10;

/**
 * Follows a log file from an offset: returns what was appended since the last read, split into complete
 * lines (a partial last line waits for its newline). Workers write the file themselves, so nothing is
 * lost when the supervisor dies: a new one resumes at the recorded offset.
 *
 * Memory is bounded whatever a worker prints: at most `maxBytes` is read per call, a line without a newline is
 * held only up to `maxLineBytes`, and the file itself is kept under `capBytes` by rotation. Offsets are logical
 * (bytes the worker wrote, as the `output` events count them); the shift a rotation introduced is recorded
 * beside the log (`<log>.rotation.json`) so an adopter maps them back.
 */
export class LogTail {
  private partial = '';
  private partialBytes = 0;
  private skipping = false;
  /** The held line was cut: the rest of it is counted, not kept. */
  private cut = false;
  private physical: number;
  private shift: number;
  /** Kept open between reads: with 50 workers, reopening both logs every period was most of the cost. */
  private fd: number | null = null;
  /** Lines cut because they were longer than `maxLineBytes`. */
  cutLines = 0;
  /** Times the file was rotated by this tail. */
  rotations = 0;
  /**
   * Stops the writers for the instant of a rotation and returns what resumes them: bytes appended between the
   * last read and the truncate would otherwise be lost. The supervisor sets it (SIGSTOP to the attempt's mark).
   */
  freezer: (() => () => void) | null = null;

  constructor(
    readonly path: string,
    offset = 0,
    readonly options: LogTailOptions = {},
  ) {
    this.shift = readShift(path);
    this.physical = Math.max(0, offset - this.shift);
  }

  /** Bytes of the worker's output read so far (logical: rotation does not move it back). */
  get offset(): number {
    return this.physical + this.shift;
  }

  /** The unterminated text held right now, in bytes: never more than `maxLineBytes`. */
  get pendingBytes(): number {
    return this.partialBytes;
  }

  read(maxBytes = 4 << 20): { bytes: number; lines: string[] } {
    if (this.fd === null) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return { bytes: 0, lines: [] };
      }
    }
    let size = fstatSync(this.fd).size;
    if (size < this.physical) this.physical = size;
    let bytes = 0;
    const lines: string[] = [];
    const cap = this.options.capBytes ?? null;
    if (cap !== null && size > cap) {
      const head = Math.floor(cap / 4);
      // The head is read before it is kept: it is never skipped.
      if (this.physical < head) bytes += this.take(head - this.physical, lines);
      bytes += this.rotate(cap, head);
      size = fstatSync(this.fd).size;
    }
    if (size > this.physical) bytes += this.take(Math.min(size - this.physical, maxBytes), lines);
    return { bytes, lines };
  }

  private take(length: number, lines: string[]): number {
    const buffer = Buffer.allocUnsafe(length);
    const n = readSync(this.fd as number, buffer, 0, length, this.physical);
    this.physical += n;
    const data = buffer.subarray(0, n);
    let start = 0;
    for (let nl = data.indexOf(10, 0); nl !== -1; nl = data.indexOf(10, start)) {
      this.hold(data, start, nl);
      // The first fragment after skipped bytes is the end of a line whose start was dropped.
      if (!this.skipping) lines.push(this.partial);
      this.partial = '';
      this.partialBytes = 0;
      this.skipping = false;
      this.cut = false;
      start = nl + 1;
    }
    this.hold(data, start, n);
    return n;
  }

  /** Appends bytes to the held line, up to the bound; beyond it, the line is cut and the rest dropped. */
  private hold(buffer: Buffer, start: number, end: number): void {
    const max = this.options.maxLineBytes ?? 4 << 20;
    if (end <= start) return;
    if (!this.cut && this.partialBytes + (end - start) <= max) {
      this.partial += buffer.toString('utf8', start, end);
      this.partialBytes += end - start;
      return;
    }
    if (!this.cut) {
      this.cut = true;
      this.cutLines++;
      const room = Math.max(0, keptOfLongLine - this.partialBytes);
      this.partial = this.partial.slice(0, keptOfLongLine) + buffer.toString('utf8', start, start + Math.min(room, end - start)) + ' [godmode: line cut]';
    }
    this.partialBytes = Math.min(max, this.partialBytes + (end - start));
  }

  /**
   * Keeps the head and the tail of a log over its cap: everything between is replaced by one line. The writers
   * are stopped meanwhile (`freezer`); without one, bytes appended between the last stat and the truncate are lost.
   */
  private rotate(cap: number, head: number): number {
    const thaw = this.freezer?.();
    try {
      return this.rotateFrozen(cap, head);
    } finally {
      thaw?.();
    }
  }

  private rotateFrozen(cap: number, head: number): number {
    const fd = this.fd as number;
    const size = fstatSync(fd).size;
    const tailKeep = Math.floor(cap / 4);
    const tailStart = Math.max(this.physical, size - tailKeep);
    const skipped = tailStart - this.physical;
    if (skipped > 0) {
      this.partial = '';
      this.partialBytes = 0;
      this.cut = false;
      this.skipping = true;
    }
    const tail = Buffer.allocUnsafe(size - tailStart);
    readSync(fd, tail, 0, tail.length, tailStart);
    const dropped = tailStart - head;
    const note = Buffer.from(`\n[godmode: ${dropped} bytes dropped here to keep this log under ${cap} bytes]\n`);
    truncateSync(this.path, head);
    appendFileSync(this.path, Buffer.concat([note, tail]));
    this.shift += tailStart - head - note.length;
    this.physical = head + note.length;
    this.rotations++;
    writeShift(this.path, this.shift);
    return skipped;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** The unterminated last line, once the writer is gone. */
  flush(): string[] {
    const rest = this.skipping ? '' : this.partial;
    this.partial = '';
    this.partialBytes = 0;
    this.cut = false;
    return rest ? [rest] : [];
  }
}

function readShift(path: string): number {
  try {
    const shift = (JSON.parse(readFileSync(`${path}.rotation.json`, 'utf8')) as { shift?: unknown }).shift;
    return typeof shift === 'number' && Number.isFinite(shift) ? shift : 0;
  } catch {
    return 0;
  }
}

function writeShift(path: string, shift: number): void {
  const tmp = `${path}.rotation.json.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ shift }) + '\n');
  renameSync(tmp, `${path}.rotation.json`);
}

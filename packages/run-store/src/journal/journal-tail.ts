import { isAscii } from 'node:buffer';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { JournalEntry } from '@godmode/protocol';
import { parseEntryHeader, parseEntryLine } from './entry-line.js';
import type { CorruptLine } from './scan-journal.js';

const firstBuffer = 64 * 1024;
const largestChunk = 4 * 1024 * 1024;
const skimAll = () => true;

/**
 * The reading end of `Journal.follow`: one open file, one buffer and one byte offset kept from wake to
 * wake, so a wake that finds nothing new costs one `stat`, and one that finds new lines reads only them.
 *
 * Its place in the file is the end of the last complete line it read. The bytes after it (a line still
 * being written, or a tail torn by a crash) are read again on every wake until a newline completes them:
 * a takeover cuts a torn tail and writes its own entry there, and what was half-read must not stick.
 * The file cut below that place (rewritten shorter) or replaced by another file (a new inode) is read
 * again from its start; `seq` decides what is new, so nothing is delivered twice.
 */
export class JournalTail {
  private handle: FileHandle | null = null;
  private ino = -1;
  private buffer = Buffer.allocUnsafe(firstBuffer);
  /** Byte offset just past the last complete line read. */
  private position = 0;
  /** Complete lines read so far (numbers corrupt lines). */
  private lines = 0;

  constructor(
    private readonly file: string,
    private delivered: number,
    private readonly onEntry: (entry: JournalEntry) => void,
    private readonly onCorrupt: (corrupt: CorruptLine) => void,
  ) {}

  /** Reads whatever complete lines were added since the last call. Never throws on content or a missing file. */
  async poll(): Promise<void> {
    const now = await stat(this.file).catch(() => null);
    if (now === null) return; // not there (yet, or for a moment while replaced): the next wake looks again
    if (this.handle === null || now.ino !== this.ino || now.size < this.position) await this.reopen();
    else if (now.size === this.position) return;
    if (this.handle !== null) await this.readNew(this.handle);
  }

  /** The inode being read (-1 when none): a follower re-arms its change notifications when it changes. */
  get inode(): number {
    return this.ino;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private async reopen(): Promise<void> {
    await this.close();
    this.position = 0;
    this.lines = 0;
    this.ino = -1;
    try {
      const handle = await open(this.file, 'r');
      this.handle = handle;
      this.ino = (await handle.stat()).ino;
    } catch {
      await this.close();
    }
  }

  private async readNew(handle: FileHandle): Promise<void> {
    let carried = 0;
    let at = this.position;
    for (;;) {
      if (carried === this.buffer.length) this.grow(this.buffer.length * 2, carried); // one line longer than the buffer
      const { bytesRead } = await handle.read(this.buffer, carried, this.buffer.length - carried, at);
      if (bytesRead === 0) return;
      at += bytesRead;
      const filled = carried + bytesRead === this.buffer.length;
      const data = this.buffer.subarray(0, carried + bytesRead);
      const lastNl = data.lastIndexOf(10);
      if (lastNl !== -1) {
        this.lines += this.deliver(data.subarray(0, lastNl + 1));
        this.position += lastNl + 1;
      }
      carried = data.length - (lastNl + 1);
      if (carried > 0) this.buffer.copy(this.buffer, 0, lastNl + 1, data.length);
      // A long catch-up (the first read of a big journal) reads in larger chunks; the buffer stays grown.
      if (filled && this.buffer.length < largestChunk) this.grow(Math.min(largestChunk, this.buffer.length * 4), carried);
    }
  }

  private grow(size: number, keep: number): void {
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, keep);
    this.buffer = bigger;
  }

  /** Delivers the complete lines of `whole` (which ends in a newline); returns how many lines it held. */
  private deliver(whole: Buffer): number {
    // A newline never splits a UTF-8 sequence; pure ASCII decodes faster as latin1.
    const text = whole.toString(isAscii(whole) ? 'latin1' : 'utf8');
    let count = 0;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) return count;
      count++;
      const line = text.slice(start, nl);
      start = nl + 1;
      // Lines already delivered are skimmed (header only): a follower that starts at byte 0 of a long
      // journal does not parse every payload it will skip.
      const parsed = parseEntryHeader(line, skimAll);
      if (!parsed.ok) {
        this.onCorrupt({ line: this.lines + count, text: line.length > 200 ? `${line.slice(0, 200)}…` : line, error: parsed.error });
        continue;
      }
      if (parsed.entry.seq <= this.delivered) continue;
      const entry = parsed.payloadText === undefined ? parsed.entry : withPayload(parsed.entry, parsed.payloadText);
      if (entry === null) {
        const full = parseEntryLine(line);
        this.onCorrupt({ line: this.lines + count, text: line.length > 200 ? `${line.slice(0, 200)}…` : line, error: full.ok ? 'unreadable payload' : full.error });
        continue;
      }
      this.delivered = entry.seq;
      this.onEntry(entry);
    }
  }
}

/** The skimmed entry with its payload parsed; null when the payload is not JSON after all. */
function withPayload(entry: JournalEntry, payloadText: string): JournalEntry | null {
  try {
    return { ...entry, payload: JSON.parse(payloadText) as unknown };
  } catch {
    return null;
  }
}

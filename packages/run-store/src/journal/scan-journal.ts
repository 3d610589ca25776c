import { isAscii } from 'node:buffer';
import { close, open, read } from 'node:fs';
import type { JournalEntry } from '@godmode/protocol';
import { parseEntryHeader, parseEntryLine, type ParsedHeader } from './entry-line.js';

export interface CorruptLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line as found (cut to 200 characters). */
  text: string;
  error: string;
}

export interface ScanResult {
  /** Bytes after the last newline: a write cut short by a crash. Ignored, never reported as corruption. */
  tornTail: boolean;
  /** Entries delivered. */
  count: number;
  /** Complete lines read (entries and corrupt ones). */
  lines: number;
  /** Byte offset just past the last complete line. */
  end: number;
}

const chunkSize = 4 * 1024 * 1024;

// The file is read through a descriptor with fs's callbacks rather than a `node:fs/promises` FileHandle: loading
// `node:fs/promises` costs a start of `orchestra status` ≈ 4 ms (it is not in Node's start-up snapshot, and it
// loads readline's interface), and this is the only call of it a status makes (apps/godmode README → Start-up).
const openForReading = (file: string) => new Promise<number>((resolve, reject) => open(file, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));
const readAt = (fd: number, buffer: Buffer, offset: number, length: number, position: number) =>
  new Promise<number>((resolve, reject) => read(fd, buffer, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
const closeFile = (fd: number) => new Promise<void>((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));

/**
 * Streams a journal file line by line without holding it in memory: every complete line is either an
 * entry (`onEntry`) or reported (`onCorrupt`); nothing is skipped silently. A missing file scans as empty.
 */
export async function scanJournal(
  file: string,
  onEntry: (entry: JournalEntry, payloadText?: string) => void,
  onCorrupt: (corrupt: CorruptLine) => void,
  options: {
    from?: number;
    firstLine?: number;
    /** Kinds whose payload may be left unparsed: `onEntry` then gets `payload: undefined` and the payload's JSON text. */
    lazy?: (kind: string) => boolean;
  } = {},
): Promise<ScanResult> {
  const lazy = options.lazy;
  const parse = lazy === undefined ? parseEntryLine : (line: string): ParsedHeader => parseEntryHeader(line, lazy);
  let fd: number;
  try {
    fd = await openForReading(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { tornTail: false, count: 0, lines: 0, end: options.from ?? 0 };
    throw error;
  }
  try {
    let position = options.from ?? 0;
    const firstLine = options.firstLine ?? 1;
    let lineNo = firstLine - 1;
    let count = 0;
    // Bytes of a line not yet complete sit at the start of the buffer; the next read lands after them.
    let carried = 0;
    let end = position;
    let buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      if (carried === buffer.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const bytesRead = await readAt(fd, buffer, carried, buffer.length - carried, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = buffer.subarray(0, carried + bytesRead);
      // Decode up to the last newline in one go (a newline never splits a UTF-8 sequence), then cut lines
      // from the string: one native call per chunk instead of one per line. Pure ASCII decodes as latin1,
      // which is several times faster and gives one-byte strings.
      const lastNl = data.lastIndexOf(10);
      if (lastNl !== -1) {
        const whole = data.subarray(0, lastNl + 1);
        const text = whole.toString(isAscii(whole) ? 'latin1' : 'utf8');
        end += lastNl + 1;
        let start = 0;
        for (;;) {
          const nl = text.indexOf('\n', start);
          if (nl === -1) break;
          lineNo++;
          const line = text.slice(start, nl);
          start = nl + 1;
          const parsed = parse(line);
          if (parsed.ok) {
            count++;
            onEntry(parsed.entry, (parsed as { payloadText?: string }).payloadText);
          } else {
            onCorrupt({ line: lineNo, text: line.length > 200 ? `${line.slice(0, 200)}…` : line, error: parsed.error });
          }
        }
      }
      carried = data.length - (lastNl + 1);
      if (carried > 0) buffer.copy(buffer, 0, lastNl + 1, data.length);
    }
    return { tornTail: carried > 0, count, lines: lineNo - firstLine + 1, end };
  } finally {
    await closeFile(fd);
  }
}

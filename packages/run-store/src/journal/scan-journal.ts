import { open } from 'node:fs/promises';
import type { JournalEntry } from '@godmode/protocol';
import { parseEntryLine } from './entry-line.js';

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

/**
 * Streams a journal file line by line without holding it in memory: every complete line is either an
 * entry (`onEntry`) or reported (`onCorrupt`); nothing is skipped silently. A missing file scans as empty.
 */
export async function scanJournal(
  file: string,
  onEntry: (entry: JournalEntry) => void,
  onCorrupt: (corrupt: CorruptLine) => void,
  options: { from?: number; firstLine?: number } = {},
): Promise<ScanResult> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { tornTail: false, count: 0, lines: 0, end: options.from ?? 0 };
    throw error;
  }
  try {
    let position = options.from ?? 0;
    const firstLine = options.firstLine ?? 1;
    let lineNo = firstLine - 1;
    let count = 0;
    let carry: Buffer | null = null;
    let end = position;
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let data = buffer.subarray(0, bytesRead);
      if (carry !== null) {
        data = Buffer.concat([carry, data]);
        carry = null;
      }
      // Decode up to the last newline in one go (a newline never splits a UTF-8 sequence), then cut lines
      // from the string: one native call per chunk instead of one per line.
      const lastNl = data.lastIndexOf(10);
      if (lastNl !== -1) {
        const text = data.toString('utf8', 0, lastNl + 1);
        end += lastNl + 1;
        let start = 0;
        for (;;) {
          const nl = text.indexOf('\n', start);
          if (nl === -1) break;
          lineNo++;
          const line = text.slice(start, nl);
          start = nl + 1;
          const parsed = parseEntryLine(line);
          if (parsed.ok) {
            count++;
            onEntry(parsed.entry);
          } else {
            onCorrupt({ line: lineNo, text: line.length > 200 ? `${line.slice(0, 200)}…` : line, error: parsed.error });
          }
        }
      }
      if (lastNl + 1 < data.length) carry = Buffer.from(data.subarray(lastNl + 1));
    }
    return { tornTail: carry !== null && carry.length > 0, count, lines: lineNo - firstLine + 1, end };
  } finally {
    await handle.close();
  }
}

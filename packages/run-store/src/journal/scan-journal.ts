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
      let start = 0;
      for (;;) {
        const nl = data.indexOf(10, start);
        if (nl === -1) break;
        lineNo++;
        const text = data.toString('utf8', start, nl);
        end += nl - start + 1;
        start = nl + 1;
        const parsed = parseEntryLine(text);
        if (parsed.ok) {
          count++;
          onEntry(parsed.entry);
        } else {
          onCorrupt({ line: lineNo, text: text.length > 200 ? `${text.slice(0, 200)}…` : text, error: parsed.error });
        }
      }
      if (start < data.length) carry = Buffer.from(data.subarray(start));
    }
    return { tornTail: carry !== null && carry.length > 0, count, lines: lineNo - firstLine + 1, end };
  } finally {
    await handle.close();
  }
}

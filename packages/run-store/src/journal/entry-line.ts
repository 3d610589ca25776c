import type { JournalEntry } from '@godmode/protocol';

export type ParsedLine = { ok: true; entry: JournalEntry } | { ok: false; error: string };

/**
 * One journal line to an entry. Checked by hand, not with zod: replay parses every line of
 * journals with millions of entries, and the shape is five fields.
 */
export function parseEntryLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'not a JSON object' };
  const e = value as Record<string, unknown>;
  if (typeof e.seq !== 'number' || !Number.isInteger(e.seq) || e.seq < 1) return { ok: false, error: 'no positive integer "seq"' };
  if (typeof e.at !== 'string') return { ok: false, error: 'no string "at"' };
  if (typeof e.kind !== 'string' || e.kind === '') return { ok: false, error: 'no "kind"' };
  if (e.token !== undefined && (typeof e.token !== 'number' || !Number.isInteger(e.token) || e.token < 0)) {
    return { ok: false, error: '"token" is not a non-negative integer' };
  }
  if (!('payload' in e)) e.payload = null;
  return { ok: true, entry: e as JournalEntry };
}

/** The exact line `append` writes (key order fixed: seq, at, kind, token, payload). */
export function formatEntryLine(seq: number, at: string, kind: string, token: number | undefined, payloadJson: string): string {
  const tokenPart = token === undefined ? '' : `"token":${token},`;
  return `{"seq":${seq},"at":${JSON.stringify(at)},"kind":${JSON.stringify(kind)},${tokenPart}"payload":${payloadJson}}\n`;
}

export type ParsedHeader =
  | { ok: true; entry: JournalEntry; /** Set when the payload was left unparsed (a lazy kind): its JSON text. */ payloadText?: string }
  | { ok: false; error: string };

/**
 * Like `parseEntryLine`, but reads the fixed header that `append` writes by hand and, for kinds where
 * `lazy(kind)` is true, leaves the payload as text: replay needs few payloads in full, and parsing the
 * rest was most of its time. Only the framing of a skimmed line is checked (exact header, payload an
 * object closing the line); any line not in the exact written format goes through the full parse and
 * is reported if corrupt. `Journal.read()` always parses every line in full.
 */
export function parseEntryHeader(line: string, lazy: (kind: string) => boolean): ParsedHeader {
  const fast = readHeader(line);
  if (fast === null) return parseEntryLine(line);
  const { seq, at, kind, token, payloadStart } = fast;
  const payloadText = line.slice(payloadStart, line.length - 1);
  if (!lazy(kind)) return parseEntryLine(line);
  if (payloadText.charCodeAt(0) !== 123 /* { */ || payloadText.charCodeAt(payloadText.length - 1) !== 125) return parseEntryLine(line);
  const entry: JournalEntry = { seq, at, kind, payload: undefined };
  if (token !== undefined) entry.token = token;
  return { ok: true, entry, payloadText };
}

function readHeader(line: string): { seq: number; at: string; kind: string; token: number | undefined; payloadStart: number } | null {
  if (!line.startsWith('{"seq":') || line.charCodeAt(line.length - 1) !== 125 /* } */) return null;
  let i = 7;
  const seqEnd = digitsEnd(line, i);
  if (seqEnd === i) return null;
  const seq = Number(line.slice(i, seqEnd));
  i = seqEnd;
  if (!line.startsWith(',"at":"', i)) return null;
  i += 7;
  const atEnd = line.indexOf('"', i);
  if (atEnd === -1) return null;
  const at = line.slice(i, atEnd);
  i = atEnd + 1;
  if (!line.startsWith(',"kind":"', i)) return null;
  i += 9;
  const kindEnd = line.indexOf('"', i);
  if (kindEnd <= i) return null;
  const kind = line.slice(i, kindEnd);
  if (at.includes('\\') || kind.includes('\\') || seq < 1) return null;
  i = kindEnd + 1;
  let token: number | undefined;
  if (line.startsWith(',"token":', i)) {
    i += 9;
    const tokenEnd = digitsEnd(line, i);
    if (tokenEnd === i) return null;
    token = Number(line.slice(i, tokenEnd));
    i = tokenEnd;
  }
  if (!line.startsWith(',"payload":', i)) return null;
  return { seq, at, kind, token, payloadStart: i + 11 };
}

function digitsEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

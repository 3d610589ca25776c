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

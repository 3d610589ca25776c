import type { Claim, ClaimReading } from '@godmode/protocol';
import { classifyStatus, type ClaimSays } from './classify-status.js';
import { sanitiseText } from './sanitise.js';

/** Claims larger than this are not parsed: no honest `result.json` is a megabyte. */
export const maxClaimBytes = 1024 * 1024;
/** What is kept of a claim's text: the status words, a bounded summary, bounded artifact paths. Nothing else. */
export const claimLimits = { status: 200, summary: 500, stream: 100, artifact: 300, artifacts: 200 } as const;

export type ClaimText = string | Uint8Array;
export type ClaimReadingWithClaim = ClaimReading & { claim: Claim | null };

function reading(state: ClaimReading['state'], problem: string | null, status: string | null = null, says: ClaimSays = 'unknown', claim: Claim | null = null): ClaimReadingWithClaim {
  return { state, status, says, problem, claim };
}

function decode(raw: ClaimText): string {
  if (typeof raw === 'string') return raw;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/**
 * Reads a claim's raw content (`result.json` as bytes or text; undefined/null when there is none) without
 * ever throwing. Keeps each known field only when it has the right type, sanitised and bounded
 * (`claimLimits`), drops every other field (a worker's raw text is never carried further), and says what
 * was wrong. A missing `status` falls back to a boolean `success`/`ok` field when there is one.
 */
export function readClaim(raw: ClaimText | null | undefined): ClaimReadingWithClaim {
  if (raw === undefined || raw === null) return reading('absent', 'no result.json');
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) return reading('invalid', 'not text');
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
  if (size > maxClaimBytes) return reading('unreadable', `larger than ${maxClaimBytes} bytes (${size}); not read`);
  const text = decode(raw).replace(/^\uFEFF/, '');
  if (text.trim() === '') return reading('invalid', 'empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return reading('invalid', 'not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reading('invalid', `not a JSON object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`);
  }
  const source = value as Record<string, unknown>;
  const problems: string[] = [];
  const claim: Claim = {};
  for (const [key, v] of Object.entries(source)) {
    if (key === 'status' || key === 'stream' || key === 'summary') {
      if (typeof v === 'string') claim[key] = sanitiseText(v, claimLimits[key]);
      else problems.push(`"${key}" is ${describe(v)}, not text`);
    } else if (key === 'artifacts') {
      // Paths are kept raw (bounded in count and length) because they are compared with the disk; shown only sanitised.
      if (Array.isArray(v) && v.every((a) => typeof a === 'string')) claim.artifacts = (v as string[]).slice(0, claimLimits.artifacts).map((a) => a.slice(0, claimLimits.artifact));
      else problems.push('"artifacts" is not a list of paths');
    }
  }
  let status = claim.status !== undefined ? claim.status : null;
  if (status === null) {
    const flag = typeof source.success === 'boolean' ? source.success : typeof source.ok === 'boolean' ? source.ok : null;
    if (flag !== null) status = flag ? 'success' : 'failed';
    else if (!problems.some((p) => p.startsWith('"status"'))) problems.push('no "status"');
  }
  return reading('read', problems.length ? problems.join('; ') : null, status === '' ? null : status, classifyStatus(status === '' ? null : status), claim);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

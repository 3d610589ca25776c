import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { leaseSchema } from '../lease.js';
import { verdictSchema } from '../verdict.js';
import { readLease } from './read-lease.js';
import { readVerdict } from './read-verdict.js';

// The zod-free readers must give what their zod schema gives — the same data (key order included, since a run
// folder's JSON is compared byte for byte elsewhere) or null — for valid documents and for every one-field change
// of them: each key removed, each value replaced by each probe, an unknown key added at every level.
const probes: unknown[] = [null, '', 'x', 0, -1, 1, 1.5, 2 ** 53, Number.POSITIVE_INFINITY, Number.NaN, true, false, [], ['x'], [{}], {}, { x: 1 }];

type Json = unknown;
function paths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...at, i], ...paths(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([...at, k], ...paths(v, [...at, k]));
  return out;
}
function objects(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => objects(v, [...at, i]));
  if (value !== null && typeof value === 'object') return [at, ...Object.entries(value).flatMap(([k, v]) => objects(v, [...at, k]))];
  return [];
}
function edit(value: Json, at: Array<string | number>, change: (parent: Record<string | number, unknown>, key: string | number) => void): Json {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, at.at(-1)!);
  return copy;
}
function variants(doc: Json): Array<[string, Json]> {
  const out: Array<[string, Json]> = [['as is', doc]];
  for (const at of paths(doc)) {
    out.push([`${at.join('.')} removed`, edit(doc, at, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k]))]);
    for (const probe of probes) out.push([`${at.join('.')} = ${JSON.stringify(probe) ?? String(probe)}`, edit(doc, at, (p, k) => (p[k] = probe))]);
  }
  for (const at of objects(doc)) out.push([`${at.join('.') || 'top'} + unknown key`, at.length === 0 ? { ...(doc as object), extra: 1 } : edit(doc, [...at, 'extra'], (p, k) => (p[k] = 1))]);
  for (const probe of probes) out.push([`whole = ${String(probe)}`, probe]);
  return out;
}
function conforms(schema: z.ZodType, read: (v: unknown) => unknown, docs: Json[]): number {
  let checked = 0;
  for (const doc of docs) {
    for (const [name, value] of variants(doc)) {
      const parsed = schema.safeParse(value);
      const expected = parsed.success ? parsed.data : null;
      const got = read(value);
      expect(got, name).toEqual(expected);
      expect(JSON.stringify(got), name).toBe(JSON.stringify(expected));
      checked++;
    }
  }
  return checked;
}

const lease = { holder: 'conductor 1', pid: 42, host: 'h', token: 3, acquiredAt: '2026-12-01T00:00:00Z', renewedAt: '2026-12-01T00:00:01Z', expiresAt: 1_764_547_201_000, released: false };
const verdictFull = {
  stream: 'api',
  status: 'shipped',
  divergence: 'agrees',
  sentence: 'disk has 1 of 1 deliverables',
  deliverables: { expected: 1, present: 1 },
  evidence: {
    deliverables: [{ deliverable: 'src/a.ts', ok: true, files: [{ path: 'src/a.ts', size: 10, sha256: 'ab', mtimeMs: 1.5, nlink: 1 }], reasons: ['r'] }],
    check: { command: 'npm test', exitCode: 0, timedOut: false, passed: 3, failed: 0, durationMs: 12.5, outputTail: 'ok' },
    git: { branch: 'godmode/x', base: 'abc', commitsSinceBase: 1, uncommittedChanges: 0 },
    tampering: 'none',
  },
  claim: { state: 'read', status: 'success', says: 'success', problem: null },
  snapshot: { commit: 'c1', ref: 'refs/godmode/x', base: 'b1', changed: 2 },
  attempt: 1,
  reconciledAt: '2026-12-01T00:00:02Z',
};
const verdictLean = {
  stream: 'docs',
  status: 'missing',
  divergence: 'no-claim',
  sentence: 'nothing',
  deliverables: { expected: 2, present: 0 },
  evidence: { deliverables: [{ deliverable: 'a', ok: false, files: [] }], check: null, git: null },
  claim: { state: 'absent', status: null, says: 'unknown', problem: 'no claim' },
  attempt: null,
  reconciledAt: 'now',
};

describe('zod-free readers agree with their zod schemas', () => {
  it('readLease ≡ leaseSchema.safeParse', () => {
    const { released: _released, ...withoutReleased } = lease;
    expect(conforms(leaseSchema, readLease, [lease, withoutReleased])).toBeGreaterThan(300);
  });
  it('readVerdict ≡ verdictSchema.safeParse', () => {
    expect(conforms(verdictSchema, readVerdict, [verdictFull, verdictLean])).toBeGreaterThan(1000);
  });
});

import type { Deliverable, Verdict } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { againstBase } from './against-base.js';

const file = (path: string) => ({ path, size: 10, sha256: 'x', mtimeMs: 0 });
function verdict(deliverables: Array<{ ok: boolean; files: string[] }>, check: 'pass' | 'fail' | null = null): Verdict {
  return {
    stream: 's',
    status: 'shipped',
    divergence: 'agrees',
    sentence: '',
    deliverables: { expected: deliverables.length, present: deliverables.filter((d) => d.ok).length },
    evidence: {
      deliverables: deliverables.map((d, i) => ({ deliverable: `d${i}`, ok: d.ok, files: d.files.map(file), reasons: [] })),
      check: check === null ? null : { command: 'c', exitCode: check === 'pass' ? 0 : 1, timedOut: false, passed: null, failed: null, durationMs: 1, outputTail: '' },
      git: null,
    },
    claim: { state: 'read', status: 'success', says: 'success', problem: null },
    attempt: 1,
    reconciledAt: '2026-01-01T00:00:00.000Z',
  };
}

const base = 'b'.repeat(40);
const p = (path: string): Deliverable => ({ path }) as Deliverable;
const g = (glob: string, min: number): Deliverable => ({ glob, min }) as Deliverable;

describe('againstBase: a deliverable counts only when new or changed since the base', () => {
  it.each([
    ['new file', [p('a')], [{ ok: true, files: ['a'] }], ['a'], null, 'shipped', 1],
    ['untouched file that was there', [p('a')], [{ ok: true, files: ['a'] }], ['other'], null, 'missing', 0],
    ['nothing changed at all', [p('a')], [{ ok: true, files: ['a'] }], [], null, 'missing', 0],
    ['one of two new', [p('a'), p('b')], [{ ok: true, files: ['a'] }, { ok: true, files: ['b'] }], ['a'], null, 'partial', 1],
    ['glob: 2 matches, 1 new, min 2', [g('src/*.js', 2)], [{ ok: true, files: ['src/x.js', 'src/y.js'] }], ['src/x.js'], null, 'partial', 0],
    ['glob: 2 new, min 2', [g('src/*.js', 2)], [{ ok: true, files: ['src/x.js', 'src/y.js'] }], ['src/x.js', 'src/y.js'], null, 'shipped', 1],
    ['reconciler already said no', [p('a')], [{ ok: false, files: [] }], ['x'], null, 'missing', 0],
    ['new file, check fails', [p('a')], [{ ok: true, files: ['a'] }], ['a'], 'fail', 'partial', 1],
    ['no deliverables, changes', [], [], ['x'], null, 'shipped', 0],
    ['no deliverables, no change', [], [], [], null, 'missing', 0],
  ] as const)('%s', (_name, deliverables, evidence, changed, check, status, present) => {
    const v = againstBase(verdict(evidence as unknown as Array<{ ok: boolean; files: string[] }>, check), [...deliverables], new Set(changed), base);
    expect(v.status).toBe(status);
    expect(v.deliverables.present).toBe(present);
    expect(v.sentence).toMatch(/since the base bbbbbbbbbbbb/);
    if (changed.length === 0) expect(v.sentence).toMatch(/changed nothing/);
  });

  it('names the untouched file in the reasons', () => {
    const v = againstBase(verdict([{ ok: true, files: ['README.md'] }]), [p('README.md')], new Set(['x']), base);
    expect(v.evidence.deliverables[0]?.reasons).toEqual([`README.md was already there at the base ${base.slice(0, 12)} and is untouched: not this stream's work`]);
    expect(v.divergence).toBe('overstated');
  });
});

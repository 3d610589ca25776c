import type { DimensionScore, Plan, Verdict } from '@godmode/protocol';
import { planStreams } from '@godmode/protocol';
import { latestVerdicts } from '../journal/worker-records.js';

export interface CompletenessEvidence {
  expected: number;
  present: number;
  streams: Array<{ stream: string; status: Verdict['status'] | null; expected: number; present: number; note: string }>;
}

/**
 * Deliverables shipped / expected, summed over the plan's streams, from the reconciler's verdicts. A
 * stream without deliverables counts as one unit, present when its verdict is `shipped`; a stream
 * without a verdict counts as expected and absent. The worker's claim plays no part.
 */
export function scoreCompleteness(plan: Plan, verdicts: readonly Verdict[]): DimensionScore {
  const latest = latestVerdicts(verdicts);
  const streams: CompletenessEvidence['streams'] = [];
  for (const { stream } of planStreams(plan)) {
    const v = latest.get(stream.id);
    if (!v) {
      const expected = Math.max(1, stream.deliverables.length);
      streams.push({ stream: stream.id, status: null, expected, present: 0, note: 'no verdict: never reconciled' });
    } else if (v.deliverables.expected === 0) {
      streams.push({ stream: stream.id, status: v.status, expected: 1, present: v.status === 'shipped' ? 1 : 0, note: `no deliverables named; verdict ${v.status}` });
    } else {
      streams.push({ stream: stream.id, status: v.status, expected: v.deliverables.expected, present: Math.min(v.deliverables.present, v.deliverables.expected), note: v.sentence });
    }
  }
  const expected = streams.reduce((s, x) => s + x.expected, 0);
  const present = streams.reduce((s, x) => s + x.present, 0);
  if (expected === 0) return { measured: false, reason: 'the plan has no streams' };
  const shipped = streams.filter((s) => s.status === 'shipped').length;
  const evidence: CompletenessEvidence = { expected, present, streams };
  return {
    measured: true,
    score: present / expected,
    why: `${present} of ${expected} deliverables on disk; ${shipped} of ${streams.length} streams shipped (reconciler verdicts, not claims)`,
    evidence,
  };
}

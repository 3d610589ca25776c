import type { Deliverable, Verdict, VerdictStatus } from '@godmode/protocol';
import { checkPassed, compareClaim, verdictSentence } from '@godmode/reconciler';

/**
 * The reconciler's verdict, counted against the stream's base: a file that was already there at the base and
 * is untouched is not this stream's work, and a stream that changed nothing is `missing`. The rule, whole:
 *
 * | what the snapshot holds since the base          | a deliverable counts when …                  | status            |
 * |-------------------------------------------------|----------------------------------------------|-------------------|
 * | nothing changed                                 | never                                        | missing           |
 * | changes                                         | the reconciler counts it and it is new or    | the reconciler's  |
 * |                                                 | changed (a glob: at least `min` such files)  | rule on the rest  |
 * | changes, no deliverables listed                 | (the tree's changes are the deliverable)     | shipped (check!)  |
 */
export function againstBase(verdict: Verdict, deliverables: Deliverable[], changed: ReadonlySet<string>, base: string): Verdict {
  const short = base.slice(0, 12);
  const evidence = verdict.evidence.deliverables.map((e, i) => {
    const d = deliverables[i];
    if (!e.ok || !d) return e;
    const files = e.files.filter((f) => changed.has(f.path));
    const untouched = e.files.filter((f) => !changed.has(f.path)).map((f) => f.path);
    const { glob, min } = d as { glob?: string; min?: number };
    const need = glob !== undefined ? (min ?? 1) : 1;
    if (files.length >= need) return { ...e, files };
    const why =
      untouched.length === 1
        ? `${untouched[0]} was already there at the base ${short} and is untouched: not this stream's work`
        : `${untouched.length} matching files were already there at the base ${short} and are untouched: not this stream's work`;
    return { ...e, ok: false, files, reasons: [...e.reasons, why] };
  });
  const expected = evidence.length;
  const present = evidence.filter((e) => e.ok).length;
  const anyFile = evidence.some((e) => e.files.length > 0);
  const check = verdict.evidence.check;
  const passed = check ? checkPassed(check) : null;
  let status: VerdictStatus;
  if (changed.size === 0) status = 'missing';
  else if (expected === 0) status = passed === false ? 'partial' : 'shipped';
  else if (present === expected) status = passed === false ? 'partial' : 'shipped';
  else status = anyFile ? 'partial' : 'missing';
  const parts: string[] = [];
  if (changed.size === 0) parts.push(`no change since the base ${short} (the stream changed nothing)`);
  else if (expected === 0) parts.push(`${changed.size} file${changed.size === 1 ? '' : 's'} new or changed since the base ${short}`);
  else parts.push(`${present} of ${expected} deliverable${expected === 1 ? '' : 's'} new or changed since the base ${short}`);
  const untouchedNote = changed.size > 0 && evidence.some((e, i) => !e.ok && verdict.evidence.deliverables[i]?.ok) ? ' (already there and untouched: not this stream’s work)' : '';
  if (check) parts.push(`the check ${check.timedOut ? 'timed out' : passed ? 'passed' : check.exitCode === null ? 'could not run' : `failed with exit ${check.exitCode}`}`);
  const divergence = compareClaim(verdict.claim.says, status);
  return {
    ...verdict,
    status,
    divergence,
    sentence: verdictSentence(verdict.claim, divergence, parts.join(' and ') + untouchedNote, status),
    deliverables: { expected, present },
    evidence: { ...verdict.evidence, deliverables: evidence },
  };
}

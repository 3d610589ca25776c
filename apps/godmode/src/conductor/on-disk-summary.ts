import type { Verdict } from '@godmode/protocol';

/**
 * What a retried worker is told about the disk, so it does not redo finished work.
 * Plain text, one deliverable a line, because workers are often language models.
 */
export function onDiskSummary(verdict: Verdict | null): string {
  if (!verdict) return '';
  const lines = verdict.evidence.deliverables.map((d) =>
    d.ok
      ? `present: ${d.deliverable} (${d.files.map((f) => `${f.path}, ${f.size} bytes`).join('; ')})`
      : `missing: ${d.deliverable}${d.reasons.length ? ` — ${d.reasons.join('; ')}` : ''}`,
  );
  if (verdict.evidence.check && verdict.evidence.check.exitCode !== 0) {
    lines.push(`check failed: ${verdict.evidence.check.command} (exit ${verdict.evidence.check.exitCode})`);
  }
  return [`An earlier attempt left this on disk (${verdict.deliverables.present} of ${verdict.deliverables.expected} deliverables):`, ...lines].join('\n');
}

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

/** What a stream held by the merge queue is told on its retry (in `GODMODE_ON_DISK` and the claude prompt). */
export function holdSummary(hold: import('./run-context.js').Hold | null): string {
  if (!hold) return '';
  const what =
    hold.reason === 'conflicts'
      ? `Your earlier work conflicted with the integration branch in: ${hold.files.join(', ')}.`
      : `Your earlier work, merged into the integration branch, made \`${hold.reason.slice('breaks '.length)}\` fail there; it was taken back.${hold.output ? `\nIts output ended with:\n${hold.output.slice(-1_500)}` : ''}`;
  return `The merge queue held this stream. ${what}\nThis work tree now starts from the new integration head (the other streams' merged work); redo your change on top of it.`;
}

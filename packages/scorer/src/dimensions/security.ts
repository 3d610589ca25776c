import type { DimensionScore, Finding } from '@godmode/protocol';

/** What each finding takes off a perfect 1: one critical or two highs sink the dimension. */
export const SEVERITY_PENALTY: Readonly<Record<Finding['severity'], number>> = { critical: 1, high: 0.5, medium: 0.2, low: 0.05 };

const order: Finding['severity'][] = ['critical', 'high', 'medium', 'low'];

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity) || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}

export function scoreSecurity(findings: readonly Finding[], scanned: { files: number; migrations: number; tables: number }): DimensionScore {
  const counts = Object.fromEntries(order.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<Finding['severity'], number>;
  const penalty = findings.reduce((s, f) => s + SEVERITY_PENALTY[f.severity], 0);
  const score = Math.max(0, 1 - penalty);
  const listed = order.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s.toUpperCase()}`);
  return {
    measured: true,
    score: Math.round(score * 1000) / 1000,
    why:
      findings.length === 0
        ? `no findings: ${scanned.files} files scanned for secrets, ${scanned.tables} tables in ${scanned.migrations} migrations have row level security enabled and forced`
        : `${listed.join(', ')}: ${sortFindings(findings)
            .slice(0, 3)
            .map((f) => `${f.rule} in ${f.file}${f.line ? `:${f.line}` : ''}`)
            .join('; ')}${findings.length > 3 ? '; …' : ''}`,
    evidence: { counts, penalty: Math.round(penalty * 1000) / 1000, scanned },
  };
}

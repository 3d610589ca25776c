import type { CheckEvidence, ClaimReading, Divergence, VerdictStatus } from '@godmode/protocol';

/**
 * How the claim compares with the disk. A claim that cannot be read, or whose status says nothing we
 * recognise, is no claim at all: there is nothing to compare.
 *
 * | claim says | shipped     | partial     | missing    |
 * |------------|-------------|-------------|------------|
 * | success    | agrees      | overstated  | overstated |
 * | partial    | understated | agrees      | overstated |
 * | failure    | understated | understated | agrees     |
 * | unknown    | no-claim    | no-claim    | no-claim   |
 */
export function compareClaim(says: ClaimReading['says'], status: VerdictStatus): Divergence {
  const rank = { missing: 0, partial: 1, shipped: 2 } as const;
  const claimed = { failure: 0, partial: 1, success: 2, unknown: null }[says];
  if (claimed === null) return 'no-claim';
  const disk = rank[status];
  return claimed === disk ? 'agrees' : claimed < disk ? 'understated' : 'overstated';
}

export function describeDisk(options: { expected: number; present: number; treeHasContent: boolean | null; check: CheckEvidence | null; passed: boolean | null; tampered?: string | null }): string {
  const parts: string[] = [];
  if (options.tampered) return `nothing that counts: ${options.tampered}`;
  if (options.expected === 0) parts.push(options.treeHasContent ? 'no deliverables listed and a work tree with content' : 'no deliverables listed and an empty work tree');
  else parts.push(`${options.present} of ${options.expected} deliverable${options.expected === 1 ? '' : 's'}`);
  if (options.check) {
    const c = options.check;
    const counts = c.passed !== null || c.failed !== null ? ` (${c.passed ?? 0} passed, ${c.failed ?? 0} failed)` : '';
    const how = c.timedOut ? 'timed out' : options.passed ? 'passed' : c.exitCode === null ? 'could not run' : `failed with exit ${c.exitCode}`;
    parts.push(`the check ${how}${counts}`);
  }
  return parts.join(' and ');
}

function describeClaim(claim: ClaimReading): string {
  if (claim.state === 'absent') return claim.problem?.startsWith('stale') ? "no claim from this attempt (an earlier attempt's result.json is ignored)" : 'no claim';
  if (claim.state === 'unreadable') return `the claim is unreadable (${claim.problem ?? 'unknown'})`;
  if (claim.state === 'invalid') return `the claim is unusable (${claim.problem ?? 'invalid'})`;
  if (claim.status === null) return `the claim has no status (${claim.problem ?? 'none'})`;
  const shown = claim.status.length > 60 ? `${claim.status.slice(0, 57)}...` : claim.status;
  const who = claim.problem?.includes('final answer') ? 'final answer says' : 'claim says';
  return `${who} "${shown}"`;
}

/** The verdict's one plain sentence, e.g. `claim says "throttled stub"; disk has 5 of 5 deliverables — disk wins`. */
export function verdictSentence(claim: ClaimReading, divergence: Divergence, disk: string, status: VerdictStatus, absentArtifacts = 0): string {
  const names = absentArtifacts > 0 ? ` and names ${absentArtifacts} file${absentArtifacts === 1 ? '' : 's'} not on disk` : '';
  const tail = divergence === 'agrees' ? ' — they agree' : divergence === 'no-claim' ? ` — disk says ${status}` : ' — disk wins';
  const unrecognised = claim.state === 'read' && claim.status !== null && divergence === 'no-claim' ? ' (not a status we recognise)' : '';
  return `${describeClaim(claim)}${unrecognised}${names}; disk has ${disk}${tail}`;
}

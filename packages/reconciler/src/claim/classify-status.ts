/** What a claim's status text amounts to. */
export type ClaimSays = 'success' | 'partial' | 'failure' | 'unknown';

/**
 * Status words, checked in this order (failure first, so "throttled stub" or "not done" never reads as
 * success; partial before success, so "partial success" is partial). Whole words, case-insensitive.
 */
export const claimStatusWords: ReadonlyArray<{ says: Exclude<ClaimSays, 'unknown'>; pattern: RegExp }> = [
  {
    says: 'failure',
    pattern:
      /\b(?:stub|stubbed|stubs|fail|fails|failed|failure|error|errors|errored|no artifacts?|nothing|abort|aborted|crash|crashed|killed|throttled|timeout|timed out|blocked|gave up|give up|not (?:done|complete|completed|finished|shipped|implemented)|unable|cannot|can't)\b/i,
  },
  { says: 'partial', pattern: /\b(?:partial|partially|incomplete|in[ -]progress|wip|some|unfinished|half)\b/i },
  { says: 'success', pattern: /\b(?:success|successful|successfully|succeeded|done|shipped|complete|completed|finished|ok|okay|pass|passed|green|all good)\b/i },
];

export function classifyStatus(status: string | null): ClaimSays {
  if (status === null) return 'unknown';
  for (const { says, pattern } of claimStatusWords) if (pattern.test(status)) return says;
  return 'unknown';
}

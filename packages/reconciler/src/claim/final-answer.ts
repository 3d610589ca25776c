import { classifyStatus } from './classify-status.js';
import { claimLimits, type ClaimReadingWithClaim } from './read-claim.js';
import { sanitiseText } from './sanitise.js';

/**
 * A worker's final answer (e.g. the `result` text of Claude Code's last stream-json event) read as its
 * claim, for a worker that wrote no `result.json`: "All files created successfully" is a success claim to
 * compare with the disk, not the absence of one. Only the sanitised, bounded head is kept and classified.
 * Returns null when there is no answer to read.
 */
export function readFinalAnswer(answer: unknown): ClaimReadingWithClaim | null {
  if (typeof answer !== 'string') return null;
  const status = sanitiseText(answer, claimLimits.status);
  if (status === '') return null;
  return { state: 'read', status, says: classifyStatus(status), problem: "no result.json; the worker's final answer is its claim", claim: { status } };
}

/** Capped exponential backoff before attempt `next` (2, 3, …): base · 2^(next−2), at most `max`. */
export function retryDelayMs(next: number, baseMs: number, maxMs: number): number {
  const failedAttempts = Math.max(1, next - 1);
  return Math.min(maxMs, baseMs * 2 ** (failedAttempts - 1));
}

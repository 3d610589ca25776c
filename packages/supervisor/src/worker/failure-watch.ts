import type { AdapterEvent } from '../adapters/adapter.js';
import type { WorkerFailure } from '../events.js';

const severity: Record<WorkerFailure['code'], number> = { 'not-found': 5, 'not-executable': 5, 'spawn-failed': 4, 'not-logged-in': 4, billing: 4, 'usage-limit': 3, 'api-error': 2 };

/** Collects the failures an adapter recognised in a worker's output; at exit, the one that explains it. */
export class FailureWatch {
  private failure: WorkerFailure | null = null;
  private resetAt: string | null = null;

  observe(e: AdapterEvent): void {
    if (e.type === 'rate-limited' && e.resetsAt) this.resetAt = e.resetsAt;
    if (e.type !== 'error' || !isCode(e.code)) return;
    const next: WorkerFailure = { code: e.code, message: e.message.slice(0, 500), retryable: e.retryable ?? retryableByDefault(e.code) };
    const resetAt = e.resetAt ?? (e.code === 'usage-limit' ? this.resetAt : null);
    if (resetAt) next.resetAt = resetAt;
    if (this.failure === null || severity[next.code] >= severity[this.failure.code]) this.failure = next;
  }

  /** The failure to report on `exited`: only for an unsuccessful end (a clean exit 0 after a recovered API error is not a failure). */
  reason(exitCode: number | null, resultWasError: boolean): WorkerFailure | null {
    if (!this.failure) return null;
    if (exitCode === 0 && !resultWasError) return null;
    if (this.failure.code === 'usage-limit' && !this.failure.resetAt && this.resetAt) return { ...this.failure, resetAt: this.resetAt };
    return this.failure;
  }
}

function isCode(code: string): code is WorkerFailure['code'] {
  return code in severity;
}

function retryableByDefault(code: WorkerFailure['code']): boolean {
  return code === 'usage-limit' || code === 'api-error';
}

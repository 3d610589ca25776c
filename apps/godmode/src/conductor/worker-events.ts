import { governorSampleKind, journalKinds, type WorkerEvent, type WorkerIdentity } from '@godmode/protocol';
import type { Supervisor } from '@godmode/supervisor';

export type Terminal = Extract<WorkerEvent, { type: 'exited' | 'stalled' | 'budget-exceeded' }>;

export function workerKey(identity: WorkerIdentity): string {
  return `${identity.pid}:${identity.startTime}`;
}

/**
 * The supervisor's event stream, journaled entry by entry, and handed out per worker: whoever supervises an
 * attempt waits for its next terminal event (exit, stall, budget), even one that came before it asked.
 * Its machine-level governor samples are journaled beside them as `governor.sample`.
 */
export class WorkerEvents {
  private readonly waiters = new Map<string, (event: Terminal) => void>();
  private readonly early = new Map<string, Terminal>();
  readonly outputBytes = new Map<string, { stdout: number; stderr: number }>();

  constructor(
    private readonly supervisor: Supervisor,
    private readonly journal: (kind: string, payload: unknown) => Promise<unknown>,
    private readonly onSession: (stream: string, sessionId: string) => void,
    private readonly warn: (message: string) => void,
    private readonly onResult: (stream: string, attempt: number, text: string) => void = () => {},
  ) {}

  /** Journals until the supervisor closes: its worker events and its governor samples. */
  async pump(): Promise<void> {
    await Promise.all([this.pumpWorkers(), this.pumpGovernor()]);
  }

  private async pumpGovernor(): Promise<void> {
    for await (const sample of this.supervisor.governorSamples()) {
      await this.journal(governorSampleKind, sample).catch((error) => this.warn(String(error)));
    }
  }

  private async pumpWorkers(): Promise<void> {
    for await (const event of this.supervisor.events()) {
      const k = workerKey(event.worker);
      if (event.type === 'output') {
        const o = this.outputBytes.get(k) ?? { stdout: 0, stderr: 0 };
        o[event.stream] += event.bytes;
        this.outputBytes.set(k, o);
      }
      if (event.type === 'result' && typeof event.text === 'string') this.onResult(event.worker.stream, event.worker.attempt, event.text);
      if (event.type === 'activity' && event.kind === 'init' && typeof event.detail.sessionId === 'string') this.onSession(event.worker.stream, event.detail.sessionId);
      const payload = event.type === 'output' && event.line && event.line.length > 400 ? { ...event, line: event.line.slice(0, 400) } : event;
      await this.journal(`${journalKinds.workerPrefix}${event.type}`, payload).catch((error) => this.warn(String(error)));
      if (event.type === 'exited' || event.type === 'stalled' || event.type === 'budget-exceeded') {
        const waiter = this.waiters.get(k);
        if (waiter) waiter(event);
        else if (!this.early.has(k) || event.type === 'exited') this.early.set(k, event);
      }
    }
  }

  /** The worker's next terminal event, or null when `stop` aborts first. */
  nextTerminal(identity: WorkerIdentity, stop: AbortSignal): Promise<Terminal | null> {
    const k = workerKey(identity);
    const early = this.early.get(k);
    if (early) {
      this.early.delete(k);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => {
      const onStop = () => {
        this.waiters.delete(k);
        resolve(null);
      };
      stop.addEventListener('abort', onStop, { once: true });
      this.waiters.set(k, (event) => {
        stop.removeEventListener('abort', onStop);
        this.waiters.delete(k);
        resolve(event);
      });
    });
  }
}

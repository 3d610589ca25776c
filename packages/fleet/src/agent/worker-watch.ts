import type { WorkerIdentity } from '@godmode/protocol';
import type { Supervisor, SupervisorEvent } from '@godmode/supervisor';

export type Ending = Extract<SupervisorEvent, { type: 'exited' | 'stalled' | 'budget-exceeded' }>;

const key = (w: WorkerIdentity) => `${w.pid}:${w.startTime}`;

/** The agent supervisor's events, handed out per worker: whoever runs an attempt waits for its next ending. */
export class WorkerWatch {
  private readonly waiters = new Map<string, (event: Ending) => void>();
  private readonly early = new Map<string, Ending>();
  private readonly alive = new Set<string>();

  constructor(private readonly onEvent: (event: SupervisorEvent) => void = () => undefined) {}

  async pump(supervisor: Supervisor): Promise<void> {
    for await (const event of supervisor.events()) {
      this.onEvent(event);
      const k = key(event.worker);
      if (event.type === 'spawned' || event.type === 'adopted') this.alive.add(k);
      if (event.type === 'exited' || event.type === 'spawn-failed') this.alive.delete(k);
      if (event.type === 'exited' || event.type === 'stalled' || event.type === 'budget-exceeded') {
        const waiter = this.waiters.get(k);
        if (waiter) waiter(event);
        else if (!this.early.has(k) || event.type === 'exited') this.early.set(k, event);
      }
    }
  }

  /** The supervisor still sees this worker's process (it has not exited). */
  isAlive(identity: WorkerIdentity): boolean {
    return this.alive.has(key(identity));
  }

  markSpawned(identity: WorkerIdentity): void {
    if (!this.early.has(key(identity))) this.alive.add(key(identity));
  }

  next(identity: WorkerIdentity): Promise<Ending> {
    const k = key(identity);
    const early = this.early.get(k);
    if (early) {
      this.early.delete(k);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => {
      this.waiters.set(k, (event) => {
        this.waiters.delete(k);
        resolve(event);
      });
    });
  }
}

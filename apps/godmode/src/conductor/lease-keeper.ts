import type { Lease } from '@godmode/protocol';
import type { RunStore } from '@godmode/run-store';

/**
 * A lease beside the run folder's that also decides who conducts the run (a fleet run's lease in the fleet
 * database, held by apps/godmode/src/fleet): the keeper acts only while both hold, and is lost when either is.
 */
export interface AuthorityLease {
  readonly expiresAt: number;
  onLost(handler: () => void): void;
}

const authorities = new Map<string, AuthorityLease>();

/**
 * Names the authority lease of the run in `runDir` for the keeper the conductor of this process takes next
 * (`conductRun` registers a fleet run's database lease before it starts the conductor); returns the undo.
 */
export function registerAuthority(runDir: string, lease: AuthorityLease): () => void {
  authorities.set(runDir, lease);
  return () => {
    if (authorities.get(runDir) === lease) authorities.delete(runDir);
  };
}

/**
 * Holds the run's lease: renews it every TTL/3 and, the moment a renewal fails or the lease would
 * expire unrenewed, declares it lost. After that the conductor must not spawn, pause or reap.
 */
export class LeaseKeeper {
  lost = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly lostHandlers: Array<() => void> = [];

  private constructor(
    private readonly store: RunStore,
    private lease: Lease,
    private readonly ttlMs: number,
    private readonly authority: AuthorityLease | null = null,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(ttlMs / 3)));
    authority?.onLost(() => this.markLost());
  }

  get token(): number {
    return this.lease.token;
  }

  get expiresAt(): number {
    return Math.min(this.lease.expiresAt, this.authority?.expiresAt ?? Infinity);
  }

  /** Tries to take the lease, polling until `waitMs` has passed (0: one try). */
  static async acquire(store: RunStore, holder: string, ttlMs: number, waitMs: number, signal?: AbortSignal): Promise<LeaseKeeper | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      // A holder whose process is gone is not waited for: its lease is taken at once (same host only).
      const lease = await store.lease.acquire({ holder, ttlMs, takeFromDeadHolder: true });
      if (lease) return new LeaseKeeper(store, lease, ttlMs, authorities.get(store.dir) ?? null);
      if (Date.now() >= deadline || signal?.aborted) return null;
      const current = await store.lease.read();
      const untilExpiry = current ? Math.max(25, current.expiresAt - Date.now() + 10) : 100;
      await new Promise((r) => setTimeout(r, Math.min(untilExpiry, 250, Math.max(0, deadline - Date.now()))));
    }
  }

  onLost(handler: () => void): void {
    this.lostHandlers.push(handler);
  }

  markLost(): void {
    if (this.lost) return;
    this.lost = true;
    if (this.timer) clearInterval(this.timer);
    for (const h of this.lostHandlers) h();
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    // A process that was paused (SIGSTOP) past its expiry must not act on a lease it may have lost.
    if (Date.now() > this.expiresAt) return this.markLost();
    try {
      this.lease = await this.store.lease.renew(this.lease, this.ttlMs);
    } catch {
      this.markLost();
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.lost) return;
    this.lost = true;
    await this.store.lease.release(this.lease).catch(() => {});
  }
}

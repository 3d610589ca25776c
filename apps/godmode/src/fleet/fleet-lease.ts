import { hostname } from 'node:os';
import { GodmodeError, type Lease } from '@godmode/protocol';
import type { PgPool } from '@godmode/run-store';

/**
 * A fleet run's lease in the fleet's database: the authority over who conducts the run, whatever machine it is
 * on (a run folder's own `lease.json` only orders the conductors of that one machine). It is the row of
 * `publishedRunKey(run)`, so the journal the conductor publishes is appended with its token: a conductor that
 * another one superseded has its next append refused. Renewed every TTL/3; a database that does not answer is
 * tried again until the lease would expire (a Postgres restart shorter than the TTL costs nothing).
 * Expiry is judged here by this machine's clock from the moment each renewal was sent, never later than the
 * database's own.
 */
export class FleetLease {
  lost = false;
  released = false;
  /** Why it was lost, once it was. */
  reason = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly handlers: Array<() => void> = [];
  private localExpiry: number;

  private constructor(
    private readonly leases: { renew(lease: Lease, ttlMs: number): Promise<Lease>; release(lease: Lease): Promise<void> },
    private lease: Lease,
    private readonly ttlMs: number,
    sentAt: number,
  ) {
    this.localExpiry = sentAt + ttlMs;
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  get token(): number {
    return this.lease.token;
  }

  /** This machine's time after which it must not act on the lease (unless renewed meanwhile). */
  get expiresAt(): number {
    return this.localExpiry;
  }

  /** True while the lease is held and, by this machine's clock, not expired. */
  get valid(): boolean {
    return !this.lost && !this.released && Date.now() < this.localExpiry;
  }

  /**
   * Takes the run's lease in the database, waiting up to `waitMs` for a holder to release it or let it expire
   * (a holder on this host whose process is gone is not waited for). A held lease at the deadline is the error
   * `LEASE_HELD` (exit 4), naming the holder.
   */
  static async acquire(pool: PgPool, key: string, runId: string, options: { ttlMs: number; waitMs: number; signal?: AbortSignal; log?: (line: string) => void }): Promise<FleetLease> {
    const { PgLease } = await import('@godmode/run-store');
    const leases = new PgLease({ pool, runId: key });
    const holder = `conductor-${hostname()}-${process.pid}`;
    const deadline = Date.now() + options.waitMs;
    for (let tries = 0; ; tries++) {
      const sentAt = Date.now();
      const lease = await leases.acquire({ holder, ttlMs: options.ttlMs, takeFromDeadHolder: true });
      if (lease) return new FleetLease(leases, lease, options.ttlMs, sentAt);
      const current = await leases.read();
      if (Date.now() >= deadline || options.signal?.aborted) {
        throw new GodmodeError({
          code: 'LEASE_HELD',
          audience: 'user',
          message: `Another conductor holds fleet run ${runId} in the fleet database${current ? ` (${current.holder} on ${current.host}, pid ${current.pid}, token ${current.token})` : ''}.`,
          hint: 'Wait for it to finish, or stop it (`godmode orchestra stop` on its machine); a conductor that died is taken over once its lease expires.',
        });
      }
      if (tries === 0) options.log?.(`waiting for the fleet lease of ${runId}${current ? ` (held by ${current.holder} on ${current.host})` : ''}`);
      await new Promise((r) => setTimeout(r, Math.min(250, Math.max(25, deadline - Date.now()))));
    }
  }

  onLost(handler: () => void): void {
    if (this.lost) handler();
    else this.handlers.push(handler);
  }

  markLost(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    this.reason = reason;
    if (this.timer) clearInterval(this.timer);
    for (const h of this.handlers) h();
  }

  private renewing = false;

  /** True once the lease is lost, marking it lost first when it expired unrenewed (a renewal hanging on a dead link included). */
  lapsed(): boolean {
    if (!this.lost && !this.released && Date.now() > this.localExpiry) this.markLost(`its lease in the fleet database expired unrenewed (token ${this.lease.token}): no answer from the database`);
    return this.lost;
  }

  private async renew(): Promise<void> {
    // Expiry first: a renewal still waiting on a link that went dead must not keep the lease alive.
    if (this.lapsed() || this.released || this.renewing) return;
    this.renewing = true;
    const sentAt = Date.now();
    try {
      this.lease = await this.leases.renew(this.lease, this.ttlMs);
      this.localExpiry = sentAt + this.ttlMs;
    } catch (error) {
      // Another conductor took the run (a LeaseLostError); anything else (the database away) is tried again.
      if ((error as { code?: string }).code === 'LEASE_LOST') this.markLost(`another conductor took the run in the fleet database (${(error as Error).message})`);
    } finally {
      this.renewing = false;
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.lost || this.released) return;
    this.released = true;
    await this.leases.release(this.lease).catch(() => undefined);
  }
}

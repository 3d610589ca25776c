import type { Lease } from '@godmode/protocol';

/**
 * The conductor lease of one run, wherever it is kept (`leases/<token>.json` on disk, a row in Postgres).
 *
 * The contract every backend keeps (and `testRunStoreBackend` checks):
 * - tokens only grow: every successful `acquire` returns a token strictly above every token issued before,
 *   and above every token the journal carries;
 * - of contenders racing for the same free lease exactly one wins, the others get null;
 * - `renew` of a lease that another holder has since taken throws `LeaseLostError`;
 * - `release` frees the lease at once and is a no-op when the lease is no longer ours.
 */
export interface LeaseBackend {
  acquire(options: { holder: string; ttlMs: number; takeFromDeadHolder?: boolean }): Promise<Lease | null>;
  renew(lease: Lease, ttlMs: number): Promise<Lease>;
  release(lease: Lease): Promise<void>;
  /** The current lease (the newest token), or null when none was ever issued. */
  read(): Promise<Lease | null>;
}

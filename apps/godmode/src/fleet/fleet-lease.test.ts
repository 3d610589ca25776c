// A fleet run's lease in the database (real PostgreSQL 15): who holds it, what a second conductor sees, and when
// a holder must consider it lost — superseded, or unrenewed past its expiry (a database that does not answer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, migrateFleetSchema, type Pool } from '@godmode/fleet';
import { GodmodeError } from '@godmode/protocol';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../../packages/fleet/test/support/pg-cluster.js';
import { FleetLease } from './fleet-lease.js';

if (pgSkipReason) console.warn(`[fleet-lease.test] skipped: ${pgSkipReason}`);

let cluster: PgCluster;
let pool: Pool;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(pgSkipReason !== null)('FleetLease', () => {
  beforeAll(async () => {
    cluster = await startPgCluster({ fsync: false });
    await cluster.createDatabase('fleet');
    pool = await connectDatabase(cluster.url('fleet'), { max: 4 });
    await migrateFleetSchema(pool);
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await cluster?.stop();
  });

  it('one holder at a time: a second conductor waits, then is refused naming the holder; after a release it gets a higher token', async () => {
    const first = await FleetLease.acquire(pool, 'run-a/conductor', 'run-a', { ttlMs: 5_000, waitMs: 0 });
    expect(first.valid).toBe(true);
    const refused = await FleetLease.acquire(pool, 'run-a/conductor', 'run-a', { ttlMs: 5_000, waitMs: 300 }).then(() => null, (e: unknown) => e);
    expect(GodmodeError.isInstance(refused) && refused.code).toBe('LEASE_HELD');
    expect((refused as Error).message).toMatch(/Another conductor holds fleet run run-a .*token 1/);
    await first.release();
    expect(first.valid).toBe(false);
    const second = await FleetLease.acquire(pool, 'run-a/conductor', 'run-a', { ttlMs: 5_000, waitMs: 0 });
    expect(second.token).toBeGreaterThan(first.token);
    expect(first.lost).toBe(false);
    await second.release();
  });

  it('a holder whose renewals stop reaching the database is lost once its lease expires, before another conductor can take the run', async () => {
    const other = await connectDatabase(cluster.url('fleet'), { max: 2 });
    try {
      const first = await FleetLease.acquire(other, 'run-b/conductor', 'run-b', { ttlMs: 600, waitMs: 0 });
      let told = false;
      first.onLost(() => (told = true));
      // Its renewals stop reaching the database (its pool is gone); another conductor takes the run once it expired.
      await other.end();
      const second = await FleetLease.acquire(pool, 'run-b/conductor', 'run-b', { ttlMs: 5_000, waitMs: 5_000 });
      expect(second.token).toBeGreaterThan(first.token);
      // By its own clock it expired before the other could take it: it never acted on a lease someone else held.
      expect(first.valid).toBe(false);
      expect(first.lapsed()).toBe(true);
      expect(told).toBe(true);
      expect(first.reason).toMatch(/expired unrenewed/);
      await second.release();
    } finally {
      await other.end().catch(() => undefined);
    }
  });

  it('a holder whose renewal finds a newer token is lost at once', async () => {
    const first = await FleetLease.acquire(pool, 'run-c/conductor', 'run-c', { ttlMs: 900, waitMs: 0 });
    // Another conductor takes the row by force (as one would after the lease expired by the database's clock).
    await pool.query(`update godmode.leases set expires_at = 0 where run_id = 'run-c/conductor'`);
    const second = await FleetLease.acquire(pool, 'run-c/conductor', 'run-c', { ttlMs: 5_000, waitMs: 0 });
    for (let i = 0; i < 40 && !first.lost; i++) await sleep(50);
    expect(first.lost).toBe(true);
    expect(first.reason).toMatch(/another conductor took the run/);
    await second.release();
  });
});

import { hostname } from 'node:os';
import type { Lease } from '@godmode/protocol';
import { LeaseLostError, pidAlive, type LeaseBackend } from '@godmode/run-store';
import type pg from 'pg';

interface LeaseRow {
  token: string;
  holder: string;
  pid: number;
  host: string;
  acquired_at: string;
  renewed_at: string;
  expires_at: string;
  released: boolean;
  now_ms?: string;
}

/**
 * A run's conductor lease as one row of `godmode.leases`.
 *
 * A grant locks the run's row in `godmode.runs` (the same lock every journal append takes), reads the lease,
 * and when it is free (released, expired, or its holder dead on this host) writes token `fence + 1` and raises
 * the fence. So tokens strictly increase, of racing contenders one wins, and no append with the old token can
 * commit after the new one is granted. Expiry is judged by the database's clock, never by a machine's.
 */
export class PgLease implements LeaseBackend {
  private readonly pool: pg.Pool;
  readonly runId: string;

  constructor(options: { pool: pg.Pool; runId: string }) {
    this.pool = options.pool;
    this.runId = options.runId;
  }

  async acquire(options: { holder: string; ttlMs: number; takeFromDeadHolder?: boolean }): Promise<Lease | null> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query('insert into godmode.runs (run_id) values ($1) on conflict (run_id) do nothing', [this.runId]);
      const run = await client.query<{ fence_token: string; now_ms: string }>('select fence_token, godmode.now_ms() as now_ms from godmode.runs where run_id = $1 for update', [this.runId]);
      const fence = Number(run.rows[0]!.fence_token);
      const now = Number(run.rows[0]!.now_ms);
      const current = (await client.query<LeaseRow>('select * from godmode.leases where run_id = $1', [this.runId])).rows[0];
      if (current !== undefined && !current.released && Number(current.expires_at) > now) {
        const holderGone = options.takeFromDeadHolder === true && current.host === hostname() && !pidAlive(current.pid);
        if (!holderGone) {
          await client.query('rollback');
          return null;
        }
      }
      const token = Math.max(fence, current === undefined ? 0 : Number(current.token)) + 1;
      const at = new Date(now).toISOString();
      const lease: Lease = { holder: options.holder, pid: process.pid, host: hostname(), token, acquiredAt: at, renewedAt: at, expiresAt: now + options.ttlMs, released: false };
      await client.query(
        `insert into godmode.leases (run_id, token, holder, pid, host, acquired_at, renewed_at, expires_at, released)
         values ($1, $2, $3, $4, $5, $6, $6, $7, false)
         on conflict (run_id) do update set token = excluded.token, holder = excluded.holder, pid = excluded.pid, host = excluded.host,
           acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, released = false`,
        [this.runId, token, lease.holder, lease.pid, lease.host, at, lease.expiresAt],
      );
      await client.query('update godmode.runs set fence_token = $2 where run_id = $1', [this.runId, token]);
      await client.query('commit');
      return lease;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease> {
    const { rows } = await this.pool.query<LeaseRow>(
      `update godmode.leases set renewed_at = to_char(clock_timestamp() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), expires_at = godmode.now_ms() + $3
       where run_id = $1 and token = $2 and not released returning *`,
      [this.runId, lease.token, ttlMs],
    );
    if (rows[0] === undefined) {
      const current = await this.read();
      throw new LeaseLostError({ token: lease.token, currentToken: current?.token ?? null, runDir: `run ${this.runId} (Postgres)` });
    }
    return toLease(rows[0]);
  }

  async release(lease: Lease): Promise<void> {
    await this.pool.query('update godmode.leases set released = true, expires_at = godmode.now_ms() where run_id = $1 and token = $2 and not released', [this.runId, lease.token]);
  }

  async read(): Promise<Lease | null> {
    const { rows } = await this.pool.query<LeaseRow>('select * from godmode.leases where run_id = $1', [this.runId]);
    return rows[0] === undefined ? null : toLease(rows[0]);
  }
}

function toLease(row: LeaseRow): Lease {
  return {
    holder: row.holder,
    pid: row.pid,
    host: row.host,
    token: Number(row.token),
    acquiredAt: row.acquired_at,
    renewedAt: row.renewed_at,
    expiresAt: Number(row.expires_at),
    released: row.released,
  };
}

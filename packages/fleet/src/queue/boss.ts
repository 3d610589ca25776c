import { PgBoss } from 'pg-boss';
import type pg from 'pg';
import { FleetSchemaError } from '../errors/fleet-schema-error.js';
import { classifyDatabaseError, describeDatabase } from '../store/connect.js';
import { attemptQueue } from './attempt-job.js';

export interface BossOptions {
  url: string;
  /** Create or update pg-boss's schema (`--migrate`); otherwise a missing one is a `FleetSchemaError`. */
  migrate: boolean;
  /** How often this instance looks for jobs whose heartbeat lapsed (and expiries). Default 10 s. */
  superviseEverySeconds?: number;
  onError?: (error: Error) => void;
  applicationName?: string;
}

/** pg-boss on the fleet database, started, with the attempt queue in place. Connection errors are `FleetDatabaseError`. */
export async function startBoss(pool: pg.Pool, options: BossOptions): Promise<PgBoss> {
  if (!options.migrate) {
    const { rows } = await pool.query<{ present: boolean }>(`select to_regclass('pgboss.version') is not null as present`);
    if (!rows[0]?.present) throw new FleetSchemaError({ database: describeDatabase(options.url), found: null, expected: 0, what: 'pg-boss job queue schema (pgboss)' });
  }
  const every = options.superviseEverySeconds ?? 10;
  const boss = new PgBoss({
    connectionString: options.url,
    max: 4,
    application_name: options.applicationName ?? 'godmode-fleet',
    migrate: options.migrate,
    createSchema: options.migrate,
    supervise: true,
    schedule: false,
    superviseIntervalSeconds: every,
    monitorIntervalSeconds: every,
  });
  boss.on('error', (error: Error) => options.onError?.(error));
  try {
    await boss.start();
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw classifyDatabaseError(error, options.url) ?? error;
  }
  if ((await boss.getQueue(attemptQueue)) === null) {
    await boss.createQueue(attemptQueue, { retryLimit: 5, retryDelay: 1, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 24 * 3600 }).catch(async (error: unknown) => {
      // Another process created it first.
      if ((await boss.getQueue(attemptQueue)) === null) throw error;
    });
  }
  return boss;
}

export type { PgBoss };

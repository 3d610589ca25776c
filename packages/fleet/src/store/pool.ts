import pg from 'pg';

/**
 * A connection pool to the fleet's database. Idle connections cut by the server (a restart, a partition)
 * emit 'error' on the pool; that must never crash the process: the next query reconnects or fails alone.
 */
export function openPool(connectionString: string, options: { max?: number; connectionTimeoutMillis?: number; applicationName?: string } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    application_name: options.applicationName ?? 'godmode',
  });
  pool.on('error', () => undefined);
  return pool;
}

export type { Pool } from 'pg';

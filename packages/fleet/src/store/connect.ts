import type pg from 'pg';
import { FleetDatabaseError } from '../errors/fleet-database-error.js';
import { openPool } from './pool.js';

/** `host:port/database` of a URL, never its password. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** What a connection failure means for the user: the rule, one place. */
export function classifyDatabaseError(error: unknown, url: string): FleetDatabaseError | null {
  if (FleetDatabaseError.isInstance(error)) return error;
  const e = error as { code?: string; message?: string };
  const where = describeDatabase(url);
  const detail = e.code ? `${e.code}: ${e.message ?? ''}`.trim() : (e.message ?? String(error));
  // 28P01 invalid_password, 28000 invalid_authorization_specification (no such role, pg_hba refusal).
  if (e.code === '28P01' || e.code === '28000') return new FleetDatabaseError({ problem: 'credentials', where, detail, cause: error });
  if (e.code === '3D000') return new FleetDatabaseError({ problem: 'no-database', where, detail, cause: error });
  if (['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', '57P01', '57P02', '57P03'].includes(e.code ?? '') || /timeout|terminated|Connection terminated/i.test(e.message ?? '')) {
    return new FleetDatabaseError({ problem: 'unreachable', where, detail, cause: error });
  }
  return null;
}

/** A pool that has answered once: bad URLs, refused credentials and unreachable servers become `FleetDatabaseError`. */
export async function connectDatabase(url: string, options: { max?: number; applicationName?: string; connectTimeoutMs?: number } = {}): Promise<pg.Pool> {
  try {
    const u = new URL(url);
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`the scheme is ${u.protocol}`);
  } catch (error) {
    throw new FleetDatabaseError({ problem: 'bad-url', where: describeDatabase(url), detail: (error as Error).message });
  }
  const pool = openPool(url, { max: options.max ?? 4, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000, ...(options.applicationName ? { applicationName: options.applicationName } : {}) });
  try {
    await pool.query('select 1');
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw classifyDatabaseError(error, url) ?? error;
  }
}

import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Db } from '../../../../supabase/functions/_shared/deps.ts';
import { migrationFiles, supabaseBootstrapSql } from './repo-files.js';

export type ApiRole = 'anon' | 'authenticated' | 'service_role';

/** In-process Postgres (PGlite) with Supabase's bootstrap and the real migrations applied. */
export async function createSupabaseDatabase(): Promise<PGlite> {
  let PGliteClass: typeof PGlite;
  try {
    ({ PGlite: PGliteClass } = await import('@electric-sql/pglite'));
  } catch (error) {
    throw new Error('The Supabase stand-in needs @electric-sql/pglite (a devDependency of @godmode/auth).', { cause: error });
  }
  const db = new PGliteClass();
  await db.exec(supabaseBootstrapSql());
  for (const m of migrationFiles()) await db.exec(m.sql);
  return db;
}

/**
 * Runs `work` the way PostgREST runs a request: one transaction, `set local role`, and the JWT claims
 * in `request.jwt.claims`, so RLS sees exactly what it would see on Supabase.
 */
export async function asRole<T>(db: PGlite, role: ApiRole, claims: Record<string, unknown> | null, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`set local role ${role}`);
    await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims ?? { role })]);
    return work(tx);
  });
}

/** The handlers' service-role connection. */
export function serviceDb(db: PGlite): Db {
  return {
    query: <T>(sql: string, params: unknown[] = []) =>
      asRole(db, 'service_role', { role: 'service_role' }, async (tx) => ({ rows: (await tx.query<T>(sql, params)).rows })),
  };
}

import type { Db } from './deps.ts';

/** postgres.js (as used under Deno) → the handlers' Db. */
export function denoDb(sql: { unsafe(query: string, params?: unknown[]): Promise<unknown[]> }): Db {
  return {
    async query<T>(query: string, params: unknown[] = []) {
      const rows = (await sql.unsafe(query, params as never[])) as T[];
      return { rows: [...rows] };
    },
  };
}

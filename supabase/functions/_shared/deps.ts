/** The slice of a Postgres client the handlers need; PGlite, postgres.js (wrapped) and pg all fit it. */
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * What a handler needs from its host, so the same code runs under `Deno.serve` in production and in
 * Node tests: a service-role database connection, a clock and a CSPRNG.
 */
export interface HandlerDeps {
  /** Connection with the service role: it bypasses RLS, so every query filters by the acting user itself. */
  db: Db;
  now(): Date;
  randomBytes(n: number): Uint8Array;
}

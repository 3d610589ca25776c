/**
 * The part of a `pg` (node-postgres) pool the Postgres backend uses, stated structurally: the run store does not
 * load `pg` itself; its caller (`@godmode/fleet`, the CLI's `--fleet` reads) passes a `pg.Pool`.
 */
export interface PgQueryConfig {
  /** A statement name: node-postgres prepares it once per connection. */
  name?: string;
  text: string;
  values?: unknown[];
}

export interface PgQueryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(config: PgQueryConfig): Promise<{ rows: any[] }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export interface PgNotice {
  channel: string;
  payload?: string | undefined;
}

export interface PgPoolClient extends PgQueryable {
  on(event: 'notification', listener: (message: PgNotice) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'notification', listener: (message: PgNotice) => void): unknown;
  release(destroy?: boolean | Error): void;
}

export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
}

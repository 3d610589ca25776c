import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import type { Db } from '../../../../supabase/functions/_shared/deps.ts';
import { migrationFiles, supabaseBootstrapSql } from '../../src/stand-in/repo-files.js';

/**
 * A throwaway Debian PostgreSQL 15 cluster for one test file: started by the test itself (as the
 * `postgres` user when the suite runs as root: the server refuses root), listening only on a unix socket in
 * its own temp folder — so its port number can never collide with anything — and stopped at the end.
 */
export const PG15_BIN = process.env['GODMODE_PG15_BIN'] ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

export const pg15SkipReason: string | null = !existsSync(join(PG15_BIN, 'initdb'))
  ? `PostgreSQL 15 server binaries not found in ${PG15_BIN} (apt-get install postgresql-15, or set GODMODE_PG15_BIN)`
  : isRoot && !existsSync('/usr/sbin/runuser')
    ? 'running as root without runuser to drop to the postgres user'
    : null;

export interface Postgres15 {
  /** Superuser connection pool. */
  sql: postgres.Sql;
  /** The handlers' Db: each query its own transaction as `service_role`, as PostgREST/edge functions run it. */
  serviceDb: Db;
  /** Runs a SQL file's text through psql (multi-statement, stops on the first error). */
  psql(text: string): Promise<{ stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

const as = (cmd: string, args: string[]) => (isRoot ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));

export async function startPostgres15(options: { maxConnections?: number } = {}): Promise<Postgres15> {
  const dir = await mkdtemp(join(tmpdir(), 'godmode-pg15-'));
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    await chown(dir, uid, uid);
  }
  const port = 50_000 + Math.floor(Math.random() * 10_000);
  const data = join(dir, 'data');
  let started = false;
  let sql: postgres.Sql | null = null;
  const stop = async () => {
    await sql?.end({ timeout: 5 }).catch(() => undefined);
    if (started) await as(join(PG15_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  let files = 0;
  const psql = async (text: string) => {
    const file = join(dir, `${files++}.sql`);
    await writeFile(file, text, { mode: 0o644 });
    return as(join(PG15_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-f', file]);
  };
  try {
    await as(join(PG15_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const max = options.maxConnections ?? 60;
    await as(join(PG15_BIN, 'pg_ctl'), ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c max_connections=${max + 10}`, 'start']);
    started = true;
    await psql(supabaseBootstrapSql());
    for (const m of migrationFiles()) await psql(m.sql);
    sql = postgres({ host: dir, port, user: 'postgres', database: 'postgres', max, onnotice: () => undefined });
  } catch (error) {
    await stop();
    throw error;
  }
  const pool = sql;
  return {
    sql: pool,
    psql,
    stop,
    serviceDb: {
      async query<T>(text: string, params: unknown[] = []) {
        const rows = await pool.begin(async (tx) => {
          await tx.unsafe('set local role service_role');
          return tx.unsafe(text, params as never[]);
        });
        return { rows: [...(rows as unknown as T[])] };
      },
    },
  };
}

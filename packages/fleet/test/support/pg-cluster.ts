// A throwaway Debian PostgreSQL 15 cluster for one test file or benchmark: its own data folder, a free TCP port,
// password (scram) auth for TCP, stopped and removed by stop(). Postgres refuses to run as root: when root,
// it runs as the `postgres` user through runuser.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PG_BIN = process.env['GODMODE_PG15_BIN'] ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

export const pgSkipReason: string | null = !existsSync(join(PG_BIN, 'initdb'))
  ? `PostgreSQL 15 server binaries not found in ${PG_BIN} (apt-get install postgresql-15, or set GODMODE_PG15_BIN)`
  : isRoot && !existsSync('/usr/sbin/runuser')
    ? 'running as root without runuser to drop to the postgres user'
    : null;

export interface PgCluster {
  port: number;
  host: string;
  password: string;
  /** postgres://postgres:<password>@host:port/<database> */
  url(database?: string, options?: { user?: string; password?: string; host?: string }): string;
  createDatabase(name: string): Promise<void>;
  /** `pg_ctl restart -m fast`: every connection is cut. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  dir: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const as = (cmd: string, args: string[]) => (isRoot ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));

export async function startPgCluster(options: { listen?: string[]; fsync?: boolean; settings?: Record<string, string> } = {}): Promise<PgCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'godmode-fleet-pg-'));
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    await chown(dir, uid, uid);
  }
  await chmod(dir, 0o755);
  const password = `pw-${process.pid}-${Date.now()}`;
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, `${password}\n`, { mode: 0o644 });
  await as(join(PG_BIN, 'initdb'), ['-D', join(dir, 'data'), '--auth-local=trust', '--auth-host=scram-sha-256', '-U', 'postgres', `--pwfile=${pwfile}`, '--no-sync']);
  const listen = ['127.0.0.1', ...(options.listen ?? [])].join(',');
  // The bridge addresses of the fault tests are on the host, so a catch-all host rule is enough.
  await as('/bin/sh', ['-c', `echo 'host all all 0.0.0.0/0 scram-sha-256' >> ${join(dir, 'data', 'pg_hba.conf')}`]);
  let port = 0;
  let lastError: unknown;
  const settings = { max_connections: '200', fsync: options.fsync === false ? 'off' : 'on', ...options.settings };
  const extra = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  for (let tries = 0; tries < 5; tries++) {
    port = await freePort();
    try {
      await as(join(PG_BIN, 'pg_ctl'), ['-D', join(dir, 'data'), '-w', '-l', join(dir, 'log'), '-o', `-k ${dir} -p ${port} -c listen_addresses='${listen}' ${extra}`, 'start']);
      lastError = undefined;
      break;
    } catch (error) {
      lastError = error; // The port was taken between the probe and the start: try another.
    }
  }
  if (lastError !== undefined) throw lastError;
  const ctl = (args: string[]) => as(join(PG_BIN, 'pg_ctl'), ['-D', join(dir, 'data'), ...args]);
  let stopped = false;
  const cluster: PgCluster = {
    port,
    host: '127.0.0.1',
    password,
    dir,
    url(database = 'postgres', o = {}) {
      const user = o.user ?? 'postgres';
      const pw = o.password ?? password;
      return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@${o.host ?? '127.0.0.1'}:${port}/${database}`;
    },
    async createDatabase(name) {
      await as(join(PG_BIN, 'psql'), ['-X', '-q', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', `create database "${name}"`]);
    },
    async restart() {
      await ctl(['-w', '-m', 'fast', '-l', join(dir, 'log'), '-o', `-k ${dir} -p ${port} -c listen_addresses='${listen}' ${extra}`, 'restart']);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

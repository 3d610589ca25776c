import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationFiles, supabaseBootstrapSql } from '../src/stand-in/repo-files.js';

// Optional: the same migrations on Debian's PostgreSQL 15 (a throwaway cluster on a unix socket).
// Skipped, with the reason printed, where the server binaries are missing.
const BIN = process.env['GODMODE_PG15_BIN'] ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const skipReason = !existsSync(join(BIN, 'initdb'))
  ? `PostgreSQL 15 server binaries not found in ${BIN} (apt-get install postgresql-15, or set GODMODE_PG15_BIN)`
  : isRoot && !existsSync('/usr/sbin/runuser')
    ? 'running as root without runuser to drop to the postgres user'
    : null;
if (skipReason) console.warn(`[postgres15.test] skipped: ${skipReason}`);

let dir = '';
let started = false;
const port = 54_000 + (process.pid % 1000);
/** Postgres refuses to run as root: drop to the `postgres` user then. */
const as = (cmd: string, args: string[]) => (isRoot ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
const psql = (file: string) => as(join(BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-f', file]);

describe.skipIf(skipReason !== null)('migrations on PostgreSQL 15', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'godmode-pg15-'));
    if (isRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const uid = Number(stdout.trim());
      await chown(dir, uid, uid);
    }
    await as(join(BIN, 'initdb'), ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await as(join(BIN, 'pg_ctl'), ['-D', join(dir, 'data'), '-w', '-l', join(dir, 'log'), '-o', `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off`, 'start']);
    started = true;
  }, 120_000);

  afterAll(async () => {
    if (started) await as(join(BIN, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies cleanly and enforces RLS as on PGlite', async () => {
    const write = async (name: string, sql: string) => {
      const file = join(dir, name);
      await writeFile(file, sql, { mode: 0o644 });
      return file;
    };
    await psql(await write('0-bootstrap.sql', supabaseBootstrapSql()));
    for (const m of migrationFiles()) await psql(await write(m.name, m.sql));
    const check = await write(
      'check.sql',
      `\\pset format unaligned
\\pset tuples_only on
insert into auth.users (id, email) values ('00000000-0000-0000-0000-00000000000a', 'a@x'), ('00000000-0000-0000-0000-00000000000b', 'b@x');
insert into public.skills (user_id, name, description, content) values ('00000000-0000-0000-0000-00000000000a', 'a', 'd', 'c'), ('00000000-0000-0000-0000-00000000000b', 'b', 'd', 'c');
select 'unprotected:' || count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and not (c.relrowsecurity and c.relforcerowsecurity);
begin; set local role authenticated; select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-00000000000a","role":"authenticated"}', true) is not null;
select 'a-sees:' || string_agg(name, ',') from public.skills; rollback;
begin; set local role anon; select 'anon-skills:' || count(*) from public.skills; rollback;
`,
    );
    const { stdout, stderr } = await psql(check).catch((e: { stdout: string; stderr: string }) => e);
    expect(stdout).toContain('unprotected:0');
    expect(stdout).toContain('a-sees:a\n');
    expect(stderr).toMatch(/permission denied for table skills/);
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from this module to the first folder holding `relative` (works from src/ and from dist/). */
export function findUp(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find ${relative} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The real migrations, in the order Supabase applies them (file name). */
export function migrationFiles(): { name: string; sql: string }[] {
  const dir = findUp('supabase/migrations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/** Test support only: the Supabase roles, `auth` schema and default grants the migrations expect. */
export function supabaseBootstrapSql(): string {
  return readFileSync(findUp('test-support/supabase-bootstrap.sql'), 'utf8');
}

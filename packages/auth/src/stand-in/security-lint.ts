/** Any client that can run a query and return rows: PGlite, a PGlite transaction, postgres.js wrapped, pg. */
export type LintQuery = <T>(sql: string, params?: unknown[]) => Promise<{ rows: T[] }>;

export interface LintOptions {
  /** Schemas the Data API exposes (default `public`). */
  exposedSchemas?: readonly string[];
  /** Roles a browser holds (default anon and authenticated). */
  clientRoles?: readonly string[];
  /** `schema.function` names meant to be called by clients over RPC (default none). */
  rpcAllowed?: readonly string[];
}

/**
 * Reads the catalog of a live database (the migrations applied) and lists, one sentence each, every way a
 * client role reaches past row level security: a table of an exposed schema without RLS enabled and
 * forced; a sequence of an exposed schema a client role can read, advance or set (`setval` on an identity
 * sequence); a function of an exposed schema a client role can execute (PostgREST offers it as
 * `/rpc/<name>`); a SECURITY DEFINER function whose search_path is not pinned; a policy whose check is a
 * constant `true`. Empty means clean. Supabase's own lints 0013 and 0011 cover part of this; the sequence
 * and function privileges are godmode's additions (issue 18).
 */
export async function lintDatabase(query: LintQuery, options: LintOptions = {}): Promise<string[]> {
  const schemas = [...(options.exposedSchemas ?? ['public'])];
  const roles = [...(options.clientRoles ?? ['anon', 'authenticated'])];
  const allowed = new Set(options.rpcAllowed ?? []);
  const problems: string[] = [];

  const tables = await query<{ name: string; enabled: boolean; forced: boolean }>(
    `select n.nspname || '.' || c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any ($1::text[]) order by 1`,
    [schemas],
  );
  for (const t of tables.rows) {
    if (!t.enabled) problems.push(`table ${t.name}: row level security is not enabled`);
    else if (!t.forced) problems.push(`table ${t.name}: row level security is not forced`);
  }

  const sequences = await query<{ name: string; role: string; privileges: string }>(
    `select n.nspname || '.' || c.relname as name, r.rolname as role,
            concat_ws(',', case when has_sequence_privilege(r.oid, c.oid, 'USAGE') then 'usage' end,
                           case when has_sequence_privilege(r.oid, c.oid, 'SELECT') then 'select' end,
                           case when has_sequence_privilege(r.oid, c.oid, 'UPDATE') then 'update' end) as privileges
       from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join pg_roles r
      where c.relkind = 'S' and n.nspname = any ($1::text[]) and r.rolname = any ($2::text[]) order by 1, 2`,
    [schemas, roles],
  );
  for (const s of sequences.rows) if (s.privileges) problems.push(`sequence ${s.name}: ${s.role} has ${s.privileges} (it can read, advance or set it)`);

  const functions = await query<{ name: string; role: string; definer: boolean }>(
    `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
            r.rolname as role, p.prosecdef as definer
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace cross join pg_roles r
      where n.nspname = any ($1::text[]) and r.rolname = any ($2::text[]) and p.prokind in ('f', 'p')
        and has_function_privilege(r.oid, p.oid, 'EXECUTE') order by 1, 2`,
    [schemas, roles],
  );
  for (const f of functions.rows) {
    if (allowed.has(f.name.slice(0, f.name.indexOf('(')))) continue;
    problems.push(`function ${f.name}: ${f.role} may execute it over RPC${f.definer ? ' with its owner\u2019s rights (SECURITY DEFINER)' : ''}`);
  }

  const definers = await query<{ name: string; config: string[] | null }>(
    `select n.nspname || '.' || p.proname as name, p.proconfig as config
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema') order by 1`,
  );
  for (const f of definers.rows) if (!f.config?.some((c) => c.startsWith('search_path='))) problems.push(`function ${f.name}: SECURITY DEFINER without a pinned search_path`);

  const policies = await query<{ name: string; qual: string | null; check: string | null }>(
    `select schemaname || '.' || tablename || ' ' || policyname as name, qual, with_check as check
       from pg_policies where schemaname = any ($1::text[]) order by 1`,
    [schemas],
  );
  for (const p of policies.rows) {
    if (p.qual?.trim() === 'true' || p.check?.trim() === 'true') problems.push(`policy ${p.name}: a constant true check lets every row through`);
  }
  return problems;
}

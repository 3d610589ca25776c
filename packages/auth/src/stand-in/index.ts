/**
 * `@godmode/auth/stand-in`: test support, not the public entry. A local stand-in for a hosted Supabase project
 * (PGlite, a devDependency of this package: install `@electric-sql/pglite` to use it) and the RLS lint run
 * against it and against real Postgres in this package's tests.
 */
export { startSupabaseStandIn, type SupabaseStandIn, type StandInOptions, type StandInUser, type RecordedRequest } from './server.js';
export { lintDatabase, type LintOptions, type LintQuery } from './security-lint.js';

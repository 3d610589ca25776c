import type { Finding } from '@godmode/protocol';
import { lineAt } from '../tree/read-text.js';
import { maskSql } from './rls-check.js';

/** Roles every browser holds on a Supabase project (PUBLIC includes them). */
const CLIENT_ROLES = new Set(['anon', 'authenticated', 'public']);

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QNAME = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;
const GRANT = /^(grant|revoke)\s+(?:grant\s+option\s+for\s+)?(.+?)\s+on\s+(all\s+sequences\s+in\s+schema|all\s+functions\s+in\s+schema|all\s+procedures\s+in\s+schema|all\s+routines\s+in\s+schema|sequence|function|procedure|routine)\s+(.+?)\s+(to|from)\s+(.+?)(?:\s+with\s+grant\s+option)?(?:\s+(?:cascade|restrict))?$/i;
const DEFAULTS = /^alter\s+default\s+privileges(?:\s+for\s+(?:role|user)\s+.+?)?(?:\s+in\s+schema\s+(.+?))?\s+(grant|revoke)\s+(?:grant\s+option\s+for\s+)?(.+?)\s+on\s+(sequences|functions|routines)\s+(?:to|from)\s+(.+?)(?:\s+with\s+grant\s+option)?(?:\s+(?:cascade|restrict))?$/i;
const CREATE_FUNCTION = new RegExp(String.raw`^create\s+(?:or\s+replace\s+)?(?:function|procedure)\s+(${QNAME})\s*\(`, 'i');
const CREATE_TABLE = new RegExp(String.raw`^create\s+(?:(?:global|local)\s+)?(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?(${QNAME})`, 'i');
const IDENTITY = /\b(?:generated\s+(?:always|by\s+default)\s+as\s+identity|(?:small|big)?serial\d?)\b/i;

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase();
}
function qualified(name: string): { schema: string; name: string } {
  const parts = name.match(new RegExp(IDENT, 'g')) ?? [name];
  return parts.length >= 2 ? { schema: unquote(parts[0]!), name: unquote(parts[1]!) } : { schema: 'public', name: unquote(parts[0]!) };
}
/** `a.f(int, text), b.g()` → the qualified names, argument lists dropped. */
function targets(list: string): Array<{ schema: string; name: string }> {
  return list
    .replace(/\([^)]*\)/g, '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map(qualified);
}
const grantees = (list: string) => list.split(',').map((g) => g.trim().replace(/^group\s+/i, '').toLowerCase());
const schemasOf = (list: string) => list.split(',').map((s) => unquote(s.trim()));

interface FunctionState {
  file: string;
  line: number;
  definer: boolean;
  /** Client roles that may execute it: PUBLIC by Postgres' default, anon/authenticated by Supabase's. */
  executable: Set<string>;
}

/**
 * Privileges a migration set gives browser roles (anon, authenticated, PUBLIC) on sequences and functions of
 * an exposed schema — the part of a Supabase database row level security does not guard:
 * - `sql.sequence-grant` (high): a GRANT on a sequence (or all sequences) to a client role: anon can
 *   `setval` it, or read how many rows a table has;
 * - `sql.default-privileges` (high): ALTER DEFAULT PRIVILEGES granting future sequences or functions to one;
 * - `sql.function-grant` (high for SECURITY DEFINER, medium otherwise): a GRANT EXECUTE to a client role —
 *   PostgREST offers every executable function of an exposed schema as `/rpc/<name>`;
 * - `sql.definer-executable` (high): a SECURITY DEFINER function never revoked from PUBLIC, anon and
 *   authenticated (Postgres grants EXECUTE to PUBLIC by default, Supabase to anon and authenticated);
 * - `sql.identity-sequence-exposed` (medium): a table with an identity or serial column whose sequence is
 *   never revoked from anon and authenticated (Supabase's default privileges grant them all of it).
 * Migrations are read in path order; a later REVOKE undoes an earlier GRANT.
 */
export function checkPrivileges(migrations: Array<{ rel: string; text: string }>, exposedSchemas: readonly string[]): Finding[] {
  const exposed = (schema: string) => exposedSchemas.includes(schema);
  const findings: Finding[] = [];
  const functions = new Map<string, FunctionState>();
  const identityTables = new Map<string, { file: string; line: number; schema: string; table: string; revoked: Set<string> }>();
  // Default privileges for functions/sequences created from now on, per schema ('*' = every schema).
  const defaultFunctionRevoked = new Map<string, Set<string>>();
  const sorted = [...migrations].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { rel, text } of sorted) {
    const masked = maskSql(text);
    let offset = 0;
    for (const raw of masked.split(';')) {
      const lead = raw.length - raw.trimStart().length;
      const statement = raw.trim().replace(/\s+/g, ' ');
      const line = lineAt(text, offset + lead);
      offset += raw.length + 1;
      if (statement === '') continue;

      const fn = CREATE_FUNCTION.exec(statement);
      if (fn) {
        const { schema, name } = qualified(fn[1]!);
        const revoked = new Set([...(defaultFunctionRevoked.get(schema) ?? []), ...(defaultFunctionRevoked.get('*') ?? [])]);
        const previous = functions.get(`${schema}.${name}`);
        functions.set(`${schema}.${name}`, {
          file: rel,
          line,
          definer: /\bsecurity\s+definer\b/i.test(statement),
          // CREATE OR REPLACE keeps the privileges an existing function had.
          executable: previous ? previous.executable : new Set([...CLIENT_ROLES].filter((r) => !revoked.has(r))),
        });
        continue;
      }

      const table = CREATE_TABLE.exec(statement);
      if (table) {
        const { schema, name } = qualified(table[1]!);
        if (exposed(schema) && IDENTITY.test(statement.slice(table[0].length))) identityTables.set(`${schema}.${name}`, { file: rel, line, schema, table: name, revoked: new Set() });
        continue;
      }

      const defaults = DEFAULTS.exec(statement);
      if (defaults) {
        const schemas = defaults[1] ? schemasOf(defaults[1]) : ['*'];
        const granting = defaults[2]!.toLowerCase() === 'grant';
        const kind = defaults[4]!.toLowerCase();
        const roles = grantees(defaults[5]!).filter((r) => CLIENT_ROLES.has(r));
        if (roles.length === 0) continue;
        for (const schema of schemas) {
          if (granting && (schema === '*' || exposed(schema))) {
            findings.push({
              severity: 'high',
              rule: 'sql.default-privileges',
              file: rel,
              line,
              message: `ALTER DEFAULT PRIVILEGES grants ${defaults[3]!.toLowerCase()} on future ${kind}${schema === '*' ? '' : ` in schema ${schema}`} to ${roles.join(', ')}: every ${kind === 'sequences' ? 'sequence' : 'function'} created later is theirs too. Grant per object to service_role instead.`,
            });
          }
          if (kind !== 'sequences') {
            const set = defaultFunctionRevoked.get(schema) ?? new Set<string>();
            for (const r of roles) granting ? set.delete(r) : set.add(r);
            defaultFunctionRevoked.set(schema, set);
          } else if (!granting) {
            for (const t of identityTables.values()) if (schema === '*' || t.schema === schema) for (const r of roles) t.revoked.add(r);
          }
        }
        continue;
      }

      const grant = GRANT.exec(statement);
      if (!grant) continue;
      const granting = grant[1]!.toLowerCase() === 'grant';
      const privileges = grant[2]!.toLowerCase();
      const kind = grant[3]!.toLowerCase().replace(/\s+/g, ' ');
      const roles = grantees(grant[6]!).filter((r) => CLIENT_ROLES.has(r));
      if (roles.length === 0) continue;
      const all = kind.startsWith('all ');
      const objects = all ? schemasOf(grant[4]!).map((schema) => ({ schema, name: '*' })) : targets(grant[4]!);
      if (kind.includes('sequence')) {
        for (const o of objects) {
          if (!exposed(o.schema)) continue;
          if (granting) {
            findings.push({
              severity: 'high',
              rule: 'sql.sequence-grant',
              file: rel,
              line,
              message: `GRANT ${privileges} on ${all ? `all sequences in schema ${o.schema}` : `sequence ${o.schema}.${o.name}`} to ${roles.join(', ')}: a browser can read, advance or \`setval\` it. Identity columns need no privilege on their sequence to insert; revoke it from anon and authenticated.`,
            });
          } else {
            for (const t of identityTables.values()) {
              if (t.schema === o.schema && (o.name === '*' || o.name.startsWith(`${t.table}_`))) for (const r of roles) t.revoked.add(r);
            }
          }
        }
        continue;
      }
      // Functions, procedures, routines.
      const executes = /\b(all|execute)\b/.test(privileges);
      if (!executes) continue;
      for (const o of objects) {
        const matching = o.name === '*' ? [...functions.entries()].filter(([k]) => k.startsWith(`${o.schema}.`)) : [[`${o.schema}.${o.name}`, functions.get(`${o.schema}.${o.name}`)] as const];
        if (granting && exposed(o.schema)) {
          const definer = matching.some(([, f]) => f?.definer);
          findings.push({
            severity: definer || o.name === '*' ? 'high' : 'medium',
            rule: 'sql.function-grant',
            file: rel,
            line,
            message: `GRANT EXECUTE on ${o.name === '*' ? `all functions in schema ${o.schema}` : `function ${o.schema}.${o.name}`} to ${roles.join(', ')}: PostgREST offers it to browsers as /rpc/${o.name === '*' ? '<name>' : o.name}${definer ? ', running with its owner\u2019s rights (SECURITY DEFINER)' : ''}. Keep it to service_role, or move it out of the exposed schema.`,
          });
        }
        for (const [, f] of matching) if (f) for (const r of roles) granting ? f.executable.add(r) : f.executable.delete(r);
      }
    }
  }
  for (const [key, f] of functions) {
    const schema = key.slice(0, key.indexOf('.'));
    if (!f.definer || !exposed(schema) || f.executable.size === 0) continue;
    findings.push({
      severity: 'high',
      rule: 'sql.definer-executable',
      file: f.file,
      line: f.line,
      message: `function ${key} is SECURITY DEFINER and ${[...f.executable].sort().join(', ')} may still execute it (over /rpc/${key.slice(schema.length + 1)}, with its owner\u2019s rights). Add \`revoke all on function ${key} from public, anon, authenticated\`, or move it to a schema the API does not expose.`,
    });
  }
  for (const [key, t] of identityTables) {
    const open = ['anon', 'authenticated'].filter((r) => !t.revoked.has(r));
    if (open.length === 0) continue;
    findings.push({
      severity: 'medium',
      rule: 'sql.identity-sequence-exposed',
      file: t.file,
      line: t.line,
      message: `table ${key} has an identity (or serial) column, and its sequence is never revoked from ${open.join(', ')}: Supabase's default privileges give them all of it (anon can \`setval\`). Add \`revoke all on all sequences in schema ${t.schema} from anon, authenticated\`.`,
    });
  }
  return findings;
}

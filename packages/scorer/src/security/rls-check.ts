import type { Finding } from '@godmode/protocol';
import { lineAt } from '../tree/read-text.js';
import { checkPrivileges } from './privilege-check.js';

/** Schemas a Supabase project exposes through its Data API by default. */
export const DEFAULT_EXPOSED_SCHEMAS = ['public'] as const;

interface TableState {
  file: string;
  line: number;
  enabled: boolean;
  forced: boolean;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QNAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const CREATE = new RegExp(
  String.raw`^create\s+(?:(?:global|local)\s+)?(?:(temp|temporary|unlogged)\s+)?table\s+(?:if\s+not\s+exists\s+)?${QNAME}`,
  'i',
);
const ALTER = new RegExp(String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${QNAME}`, 'i');
const RLS_ACTION = /(enable|disable|no\s+force|force)\s+row\s+level\s+security/gi;
const DROP = new RegExp(String.raw`^drop\s+table\s+(?:if\s+exists\s+)?(${QNAME}(?:\s*,\s*${QNAME})*)`, 'i');

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase();
}

function qualified(name: string): { schema: string; table: string } {
  const parts = name.match(new RegExp(IDENT, 'g')) ?? [name];
  return parts.length >= 2 ? { schema: unquote(parts[0]!), table: unquote(parts[1]!) } : { schema: 'public', table: unquote(parts[0]!) };
}

/**
 * Blanks comments, string literals and dollar-quoted bodies with spaces (newlines kept), so statements
 * can be split on `;` and offsets still point at the original lines. A `create table` inside a
 * function body is not a migration's table.
 */
export function maskSql(sql: string): string {
  const out = sql.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to && i < out.length; i++) if (out[i] !== '\n') out[i] = ' ';
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      blank(i, j + 1);
      i = j + 1;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? sql.length : end + tag[0].length;
        blank(i, stop);
        i = stop;
      } else i++;
    } else i++;
  }
  return out.join('');
}

/**
 * Row level security of every table the migrations create in an exposed schema. Migrations are applied
 * in path order (Supabase names them by timestamp), so a later `disable` undoes an earlier `enable`.
 * No RLS → HIGH (anyone with the public anon key can read and write the table — the seed's finding);
 * enabled but not forced → LOW (the table owner still bypasses it); enabled and forced → nothing.
 * Then what the migrations give browser roles on sequences and functions (`checkPrivileges`): RLS guards
 * rows, not `setval` on an identity sequence nor a SECURITY DEFINER function offered as /rpc.
 */
export function checkRowLevelSecurity(
  migrations: Array<{ rel: string; text: string }>,
  exposedSchemas: readonly string[] = DEFAULT_EXPOSED_SCHEMAS,
): { findings: Finding[]; tables: Array<{ table: string; file: string; enabled: boolean; forced: boolean }> } {
  const tables = new Map<string, TableState>();
  const sorted = [...migrations].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { rel, text } of sorted) {
    const masked = maskSql(text);
    let offset = 0;
    for (const raw of masked.split(';')) {
      const lead = raw.length - raw.trimStart().length;
      const statement = raw.trim().replace(/\s+/g, ' ');
      const at = offset + lead;
      offset += raw.length + 1;
      if (statement === '') continue;
      const create = CREATE.exec(statement);
      if (create) {
        if (create[1] && /temp/i.test(create[1])) continue;
        const { schema, table } = qualified(create[2]!);
        const key = `${schema}.${table}`;
        if (!tables.has(key)) tables.set(key, { file: rel, line: lineAt(text, at), enabled: false, forced: false });
        continue;
      }
      const alter = ALTER.exec(statement);
      if (alter) {
        const { schema, table } = qualified(alter[1]!);
        const state = tables.get(`${schema}.${table}`);
        if (!state) continue;
        for (const m of statement.slice(alter[0].length).matchAll(RLS_ACTION)) {
          const action = m[1]!.toLowerCase().replace(/\s+/g, ' ');
          if (action === 'enable') state.enabled = true;
          else if (action === 'disable') state.enabled = false;
          else if (action === 'force') state.forced = true;
          else state.forced = false;
        }
        continue;
      }
      const drop = DROP.exec(statement);
      if (drop) {
        for (const name of drop[1]!.split(',')) {
          const { schema, table } = qualified(name.trim());
          tables.delete(`${schema}.${table}`);
        }
      }
    }
  }
  const findings: Finding[] = [];
  const report: Array<{ table: string; file: string; enabled: boolean; forced: boolean }> = [];
  for (const [key, state] of tables) {
    const schema = key.slice(0, key.indexOf('.'));
    if (!exposedSchemas.includes(schema)) continue;
    report.push({ table: key, file: state.file, enabled: state.enabled, forced: state.forced });
    if (!state.enabled) {
      findings.push({
        severity: 'high',
        rule: 'sql.rls-disabled',
        file: state.file,
        line: state.line,
        message: `table ${key} is in the exposed schema "${schema}" without row level security: any client holding the public anon key can read and write it. Add \`alter table ${key} enable row level security\` (and \`force row level security\`) with policies.`,
      });
    } else if (!state.forced) {
      findings.push({
        severity: 'low',
        rule: 'sql.rls-not-forced',
        file: state.file,
        line: state.line,
        message: `table ${key} enables row level security but does not force it, so the table owner bypasses its policies. Add \`alter table ${key} force row level security\`.`,
      });
    }
  }
  findings.push(...checkPrivileges(migrations, exposedSchemas));
  return { findings, tables: report };
}

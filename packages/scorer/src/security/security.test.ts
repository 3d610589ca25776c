import { describe, expect, it } from 'vitest';
import { checkRowLevelSecurity, maskSql } from './rls-check.js';

// The identity sequence is revoked from the browser roles (else: sql.identity-sequence-exposed, privilege-check.test.ts).
const create = `create table public.telemetry (\n  id bigint generated always as identity primary key,\n  event text not null\n);\nrevoke all on all sequences in schema public from anon, authenticated;\n`;

describe('checkRowLevelSecurity', () => {
  it('a table in public without RLS is a HIGH finding, with its file and line', () => {
    const { findings } = checkRowLevelSecurity([{ rel: 'supabase/migrations/001_telemetry.sql', text: `-- telemetry\n${create}` }]);
    expect(findings).toEqual([expect.objectContaining({ severity: 'high', rule: 'sql.rls-disabled', file: 'supabase/migrations/001_telemetry.sql', line: 2 })]);
  });

  it('RLS enabled and forced: no finding', () => {
    const sql = `${create}alter table public.telemetry enable row level security;\nalter table public.telemetry force row level security;\n`;
    expect(checkRowLevelSecurity([{ rel: 'm.sql', text: sql }]).findings).toEqual([]);
    const oneStatement = `${create}ALTER TABLE ONLY "public"."telemetry" ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;`;
    expect(checkRowLevelSecurity([{ rel: 'm.sql', text: oneStatement }]).findings).toEqual([]);
  });

  it('enabled but not forced is LOW; unqualified tables are in public; later migrations count', () => {
    const a = { rel: 'migrations/001.sql', text: 'create table if not exists telemetry (id int);' };
    const b = { rel: 'migrations/002.sql', text: 'alter table telemetry enable row level security;' };
    expect(checkRowLevelSecurity([b, a]).findings.map((f) => f.severity)).toEqual(['low']);
    const c = { rel: 'migrations/003.sql', text: 'alter table public.telemetry disable row level security;' };
    expect(checkRowLevelSecurity([a, b, c]).findings.map((f) => f.severity)).toEqual(['high']);
  });

  it('ignores private schemas, temp tables, dropped tables, comments and function bodies', () => {
    const sql = [
      'create table private.keys (id int);',
      'create temp table scratch (id int);',
      '-- create table public.commented (id int);',
      "create function f() returns void as $$ begin create table public.inside (id int); end $$ language plpgsql;",
      'create table public.gone (id int); drop table public.gone;',
    ].join('\n');
    expect(checkRowLevelSecurity([{ rel: 'm.sql', text: sql }]).findings).toEqual([]);
    expect(checkRowLevelSecurity([{ rel: 'm.sql', text: 'create table private.keys (id int);' }], ['public', 'private']).findings).toHaveLength(1);
  });

  it('maskSql keeps offsets and newlines', () => {
    const sql = "select 'a;b' -- c;\n/* d; */ $$e;$$;";
    const masked = maskSql(sql);
    expect(masked.length).toBe(sql.length);
    expect(masked.split(';').length).toBe(2); // only the last ; is a statement end
    expect(masked.indexOf('\n')).toBe(sql.indexOf('\n'));
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRowLevelSecurity } from './rls-check.js';

// Issue 18: the RLS lint also reads what a migration grants browsers on sequences and functions.
const TABLE = 'create table public.events (id bigint generated always as identity primary key, e text);\nalter table public.events enable row level security;\nalter table public.events force row level security;\n';
const REVOKE_SEQ = 'revoke all on all sequences in schema public from anon, authenticated;\n';
const DEFINER = "create function public.bump(p int) returns int language sql security definer set search_path = '' as $$ select p + 1 $$;\n";
const REVOKE_FN = 'revoke all on function public.bump(int) from public, anon, authenticated;\n';
const lint = (...files: string[]) => checkRowLevelSecurity(files.map((text, i) => ({ rel: `supabase/migrations/${i}.sql`, text }))).findings.map((f) => `${f.severity} ${f.rule}`);

describe('privileges on sequences and functions', () => {
  const cases: Array<{ name: string; sql: string[]; expect: string[] }> = [
    { name: 'a locked-down migration', sql: [TABLE + REVOKE_SEQ + DEFINER + REVOKE_FN], expect: [] },
    { name: 'grants a sequence to anon', sql: [TABLE + REVOKE_SEQ, 'grant usage, select, update on sequence public.events_id_seq to anon;'], expect: ['high sql.sequence-grant'] },
    { name: 'grants all sequences to authenticated', sql: [TABLE + REVOKE_SEQ + 'grant all on all sequences in schema public to authenticated;'], expect: ['high sql.sequence-grant'] },
    { name: 'grants sequences in a schema the API does not expose', sql: [TABLE + REVOKE_SEQ + 'grant all on all sequences in schema private to authenticated;'], expect: [] },
    { name: 'grants future sequences to anon', sql: [TABLE + REVOKE_SEQ + 'alter default privileges in schema public grant all on sequences to anon;'], expect: ['high sql.default-privileges'] },
    { name: 'leaves an identity sequence to Supabase’s default grants', sql: [TABLE], expect: ['medium sql.identity-sequence-exposed'] },
    { name: 'revokes the identity sequence by name', sql: [TABLE + 'revoke all on sequence public.events_id_seq from anon, authenticated;'], expect: [] },
    { name: 'revokes only from PUBLIC (anon keeps its direct grant)', sql: [TABLE + 'revoke all on all sequences in schema public from public;'], expect: ['medium sql.identity-sequence-exposed'] },
    { name: 'leaves a definer function executable', sql: [TABLE + REVOKE_SEQ + DEFINER], expect: ['high sql.definer-executable'] },
    { name: 'revokes a definer function from PUBLIC only', sql: [TABLE + REVOKE_SEQ + DEFINER + 'revoke execute on function public.bump(int) from public;'], expect: ['high sql.definer-executable'] },
    { name: 'grants a definer function back to anon later', sql: [TABLE + REVOKE_SEQ + DEFINER + REVOKE_FN, 'grant execute on function public.bump(int) to anon;'], expect: ['high sql.function-grant', 'high sql.definer-executable'] },
    { name: 'grants an invoker function to authenticated', sql: [TABLE + REVOKE_SEQ + "create function public.f() returns int language sql as 'select 1';\nrevoke all on function public.f() from public, anon, authenticated;\ngrant execute on function public.f() to authenticated;"], expect: ['medium sql.function-grant'] },
    { name: 'grants all functions in the schema to anon', sql: [TABLE + REVOKE_SEQ + 'grant execute on all functions in schema public to anon;'], expect: ['high sql.function-grant'] },
    { name: 'a definer in a private schema granted to authenticated (policies call it)', sql: [TABLE + REVOKE_SEQ + "create function private.live() returns boolean language sql security definer set search_path = '' as $$ select true $$;\ngrant execute on function private.live() to authenticated;"], expect: [] },
    { name: 'a GRANT inside a function body or a comment is not a grant', sql: [TABLE + REVOKE_SEQ + "-- grant all on all sequences in schema public to anon;\ncreate function private.g() returns void language plpgsql as $$ begin execute 'grant all on all sequences in schema public to anon'; end $$;"], expect: [] },
    { name: 'revoking defaults first covers functions created later', sql: [TABLE + REVOKE_SEQ + 'alter default privileges in schema public revoke execute on functions from public, anon, authenticated;\n' + DEFINER], expect: [] },
  ];
  it.each(cases)('$name', ({ sql, expect: expected }) => {
    expect(lint(...sql).sort()).toEqual([...expected].sort());
  });

  it("godmode's own migrations pass", () => {
    const dir = fileURLToPath(new URL('../../../../supabase/migrations/', import.meta.url));
    const migrations = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => ({ rel: f, text: readFileSync(join(dir, f), 'utf8') }));
    expect(checkRowLevelSecurity(migrations).findings).toEqual([]);
  });
});

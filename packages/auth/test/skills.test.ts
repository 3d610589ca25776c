import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SkillError, supabaseFor, deleteSkill, getSkill, installSkill, installedSkills, listSkills, login, publishSkill, removeSkill, skillsDir } from '../src/index.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';
import { accountFor } from './helpers.js';

let standIn: SupabaseStandIn;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
});
afterAll(async () => standIn?.close());

async function loggedIn(email: string) {
  const ctx = await accountFor(standIn);
  const user = await standIn.createUser(email);
  await login(ctx.account, { onCode: (c) => void standIn.approve(c.userCode, user.id), sleep: async (ms) => standIn.advance(ms) });
  return { ...ctx, user };
}

describe('skills through the real client, PostgREST stand-in and RLS', () => {
  it('lists, gets, publishes and deletes only the owner’s skills, and installs them in Claude Code’s format', async () => {
    const a = await loggedIn('a@skills.test');
    const b = await loggedIn('b@skills.test');
    await standIn.sql("insert into public.skills (user_id, name, description, content) values ($1, 'code-review', 'Review code: bugs first.', '# Review\nLook for bugs.'), ($2, 'b-private', 'B only', 'secret plan')", [a.user.id, b.user.id]);

    expect((await listSkills(a.account)).map((s) => s.name)).toEqual(['code-review']);
    expect((await listSkills(b.account)).map((s) => s.name)).toEqual(['b-private']);
    await expect(getSkill(a.account, 'b-private')).rejects.toSatisfy((e) => SkillError.isInstance(e) && (e as SkillError).code === 'SKILL_NOT_FOUND');
    expect(await deleteSkill(a.account, 'b-private')).toBe(false);
    expect(await standIn.sql('select 1 from public.skills where name = $1', ['b-private'])).toHaveLength(1);

    await publishSkill(a.account, { name: 'tdd', description: 'Write the test first', content: 'Red, green, refactor.' });
    await expect(publishSkill(a.account, { name: 'tdd', description: 'again', content: 'x' })).rejects.toSatisfy((e) => SkillError.isInstance(e) && (e as SkillError).code === 'SKILL_EXISTS');
    expect((await listSkills(a.account)).map((s) => s.name)).toEqual(['code-review', 'tdd']);
    expect((await standIn.sql<{ user_id: string }>("select user_id from public.skills where name = 'tdd'"))[0]!.user_id).toBe(a.user.id);

    const skill = await getSkill(a.account, 'code-review');
    const installed = await installSkill(skill, { env: a.env });
    expect(installed.path).toBe(join(skillsDir(a.env), 'code-review', 'SKILL.md'));
    expect(await readFile(installed.path, 'utf8')).toBe('---\nname: code-review\ndescription: "Review code: bugs first."\n---\n\n# Review\nLook for bugs.\n');
    expect(await installedSkills({ env: a.env })).toEqual(['code-review']);

    expect(await deleteSkill(a.account, 'tdd')).toBe(true);
    expect(await removeSkill('code-review', { env: a.env })).toBe(true);
    expect(await removeSkill('code-review', { env: a.env })).toBe(false);
    await a.cleanup();
    await b.cleanup();
  });

  it('never removes a skill the user wrote, and rejects names that could escape the folder', async () => {
    const ctx = await accountFor(standIn);
    const own = join(skillsDir(ctx.env), 'handmade');
    await mkdir(own, { recursive: true });
    await writeFile(join(own, 'SKILL.md'), '---\nname: handmade\ndescription: mine\n---\n');
    await expect(removeSkill('handmade', { env: ctx.env })).rejects.toSatisfy((e) => SkillError.isInstance(e) && (e as SkillError).code === 'SKILL_NOT_OURS');
    await expect(installSkill({ name: '../evil', description: 'd', content: 'c' }, { env: ctx.env })).rejects.toSatisfy((e) => SkillError.isInstance(e) && (e as SkillError).code === 'SKILL_INVALID');
    expect(await readFile(join(own, 'SKILL.md'), 'utf8')).toContain('handmade');
    await ctx.cleanup();
  });

  it('through the real client, anon reads nothing from any table and cannot write', async () => {
    const owner = await standIn.createUser();
    await standIn.sql("insert into public.skills (user_id, name, description, content) values ($1, 'anon-probe', 'd', 'c')", [owner.id]);
    const anon = supabaseFor({ supabaseUrl: standIn.url, supabaseKey: standIn.anonKey }, fetch);
    for (const table of ['skills', 'cli_tokens', 'telemetry_events', 'device_codes', 'device_code_attempts']) {
      const { data, error } = await anon.from(table).select('*');
      expect(error?.code === '42501' || (error === null && data?.length === 0), `${table}: ${JSON.stringify(error ?? data)}`).toBe(true);
    }
    const insert = await anon.from('skills').insert({ user_id: owner.id, name: 'x', description: 'd', content: 'c' });
    expect(insert.error?.code).toBe('42501');
    const del = await anon.from('skills').delete().eq('name', 'anon-probe');
    expect(del.error?.code).toBe('42501');
    expect(await standIn.sql("select 1 from public.skills where name = 'anon-probe'")).toHaveLength(1);
  });
});

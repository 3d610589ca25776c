import { invoke, supabaseFor, type Account } from '../account.js';
import { AuthServiceError } from '../errors/auth-service-error.js';
import { SkillError } from '../errors/skill-error.js';
import { rejected, requireToken } from '../whoami.js';
import { assertSkillName, type Skill } from './skill-file.js';

export interface SkillSummary {
  name: string;
  description: string;
  updatedAt: string | null;
}

/**
 * Table access as the token's owner: the CLI token is traded at mcp-actions for a short-lived
 * `authenticated` JWT, and the table calls then go through PostgREST under RLS like any signed-in user's.
 */
async function tables(account: Account) {
  const stored = await requireToken(account);
  const reply = await invoke(account, 'mcp-actions', { action: 'session' }, { token: stored.token });
  if (reply.status === 401) throw rejected(stored.source);
  if (reply.status !== 200 || typeof reply.body['access_token'] !== 'string') {
    throw new AuthServiceError({ message: `Could not open a session for skills (HTTP ${reply.status}).` });
  }
  return supabaseFor(account.config, account.fetch, reply.body['access_token']);
}

function failed(action: string, error: { message: string; code?: string }): AuthServiceError {
  return new AuthServiceError({ message: `Could not ${action}: ${error.message}${error.code ? ` (${error.code})` : ''}.` });
}

export async function listSkills(account: Account): Promise<SkillSummary[]> {
  const db = await tables(account);
  const { data, error } = await db.from('skills').select('name,description,updated_at').order('name');
  if (error) throw failed('list your skills', error);
  return (data ?? []).map((r) => ({ name: r.name as string, description: r.description as string, updatedAt: (r.updated_at as string | null) ?? null }));
}

export async function getSkill(account: Account, name: string): Promise<Skill> {
  assertSkillName(name);
  const db = await tables(account);
  const { data, error } = await db.from('skills').select('name,description,content').eq('name', name);
  if (error) throw failed(`read skill ${name}`, error);
  const row = data?.[0];
  if (!row) throw new SkillError({ code: 'SKILL_NOT_FOUND', message: `Your account has no skill named "${name}".`, hint: 'See `godmode skills list`.' });
  return { name: row.name as string, description: row.description as string, content: row.content as string };
}

/** Saves a skill to the account (insert; the name must be new). */
export async function publishSkill(account: Account, skill: Skill): Promise<void> {
  assertSkillName(skill.name);
  const db = await tables(account);
  const { error } = await db.from('skills').insert({ name: skill.name, description: skill.description, content: skill.content });
  if (error?.code === '23505') throw new SkillError({ code: 'SKILL_EXISTS', message: `Your account already has a skill named "${skill.name}".` });
  if (error) throw failed(`save skill ${skill.name}`, error);
}

/** Deletes a skill from the account; false when there was none. */
export async function deleteSkill(account: Account, name: string): Promise<boolean> {
  assertSkillName(name);
  const db = await tables(account);
  const { data, error } = await db.from('skills').delete().eq('name', name).select('name');
  if (error) throw failed(`delete skill ${name}`, error);
  return (data ?? []).length > 0;
}

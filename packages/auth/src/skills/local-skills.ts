import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { Env } from '../config.js';
import { SkillError } from '../errors/skill-error.js';
import { assertSkillName, renderSkillFile, type Skill } from './skill-file.js';

/** Marks a skill folder as installed by godmode, so `remove` never deletes a skill the user wrote. */
const MARKER = '.godmode-skill.json';

/** Claude Code's personal skills folder: `$CLAUDE_CONFIG_DIR/skills`, else `~/.claude/skills`. */
export function skillsDir(env: Env = process.env): string {
  return join(env['CLAUDE_CONFIG_DIR'] || join(homedir(), '.claude'), 'skills');
}

export interface InstalledSkill {
  name: string;
  path: string;
}

/** Writes `<skills>/<name>/SKILL.md` (atomically) and the godmode marker. */
export async function installSkill(skill: Skill, options: { dir?: string; env?: Env } = {}): Promise<InstalledSkill> {
  assertSkillName(skill.name);
  const folder = join(options.dir ?? skillsDir(options.env), skill.name);
  await mkdir(folder, { recursive: true });
  const file = join(folder, 'SKILL.md');
  await writeFileAtomic(file, renderSkillFile(skill), { mode: 0o644 });
  await writeFileAtomic(join(folder, MARKER), JSON.stringify({ source: 'godmode', name: skill.name, installedAt: new Date().toISOString() }) + '\n', { mode: 0o644 });
  return { name: skill.name, path: file };
}

/** Removes a skill godmode installed; refuses folders it did not create. False when not installed. */
export async function removeSkill(name: string, options: { dir?: string; env?: Env } = {}): Promise<boolean> {
  assertSkillName(name);
  const folder = join(options.dir ?? skillsDir(options.env), name);
  try {
    await readFile(join(folder, MARKER), 'utf8');
  } catch {
    try {
      await readdir(folder);
    } catch {
      return false;
    }
    throw new SkillError({ code: 'SKILL_NOT_OURS', message: `${folder} was not installed by godmode; leaving it alone.`, hint: 'Delete it yourself if you mean to.' });
  }
  await rm(folder, { recursive: true, force: true });
  return true;
}

/** Names of the skills godmode installed in the folder. */
export async function installedSkills(options: { dir?: string; env?: Env } = {}): Promise<string[]> {
  const dir = options.dir ?? skillsDir(options.env);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const ours: string[] = [];
  for (const n of names.sort()) {
    try {
      await readFile(join(dir, n, MARKER));
      ours.push(n);
    } catch {
      // a skill the user wrote
    }
  }
  return ours;
}

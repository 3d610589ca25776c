import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PromptInputError } from './errors/prompt-input-error.js';
import { SkillNotInstalledError } from './errors/skill-not-installed-error.js';

const SKILL_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The folders Claude Code reads skills from, project first: `<cwd>/.claude/skills`, then the personal one. */
export function skillFolders(cwd: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return [join(cwd, '.claude', 'skills'), join(env.CLAUDE_CONFIG_DIR || join(env.HOME || homedir(), '.claude'), 'skills')];
}

/**
 * The prompt that runs an installed skill: Claude Code expands `/<name> <input>` into the skill's
 * instructions (also in headless mode). Checked first, so a typo is a clear error, not a confused model.
 */
export async function skillPrompt(name: string, input: string | undefined, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!SKILL_NAME.test(name)) {
    throw new PromptInputError({ message: `"${name}" is not a skill name.`, hint: 'Skill names are lowercase letters, digits and dashes.' });
  }
  const folders = skillFolders(cwd, env);
  for (const folder of folders) {
    try {
      await access(join(folder, name, 'SKILL.md'));
      return input?.trim() ? `/${name} ${input.trim()}` : `/${name}`;
    } catch {
      // not in this folder
    }
  }
  throw new SkillNotInstalledError({ skill: name, searched: folders });
}

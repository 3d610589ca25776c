import { SkillError } from '../errors/skill-error.js';

/** Claude Code's rule for skill names: lowercase letters, digits, hyphens; at most 64. Also keeps paths safe. */
export const SKILL_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface Skill {
  name: string;
  description: string;
  content: string;
}

export function assertSkillName(name: string): void {
  if (!SKILL_NAME.test(name)) {
    throw new SkillError({ message: `"${name}" is not a valid skill name.`, hint: 'Use lowercase letters, digits and hyphens (at most 64), e.g. `code-review`.' });
  }
}

/**
 * `SKILL.md` as Claude Code reads it: YAML frontmatter with `name` and `description`, then the body.
 * A frontmatter already in the stored content is replaced, so the account's name/description win.
 */
export function renderSkillFile(skill: Skill): string {
  assertSkillName(skill.name);
  const body = skill.content.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '').replace(/^\s+/, '');
  // JSON strings are valid YAML double-quoted scalars: safe for colons, quotes and newlines.
  const description = JSON.stringify(skill.description.replace(/\s+/g, ' ').trim());
  return `---\nname: ${skill.name}\ndescription: ${description}\n---\n\n${body}${body.endsWith('\n') ? '' : '\n'}`;
}

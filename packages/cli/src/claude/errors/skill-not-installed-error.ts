import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.skill-not-installed');

/** `godmode skills run` named a skill Claude Code does not have installed. */
export class SkillNotInstalledError extends GodmodeError {
  private readonly [marker] = true;
  readonly skill: string;

  constructor(options: { skill: string; searched: string[] }) {
    super({
      code: 'SKILL_NOT_INSTALLED',
      audience: 'user',
      message: `No skill named "${options.skill}" is installed (looked in ${options.searched.join(', ')}).`,
      hint: `Install it with \`godmode skills install ${options.skill}\`, or list yours with \`godmode skills list\`.`,
    });
    this.name = 'SkillNotInstalledError';
    this.skill = options.skill;
  }

  static override isInstance(error: unknown): error is SkillNotInstalledError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

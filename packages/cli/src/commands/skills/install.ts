import { Args, Flags } from '@oclif/core';
import { getSkill, installSkill, openAccount } from '@godmode/auth';
import { GodmodeCommand } from '../../base-command.js';

export class SkillsInstall extends GodmodeCommand {
  static override summary = 'Install a skill from your account into Claude Code (~/.claude/skills/<name>/SKILL.md).';
  static override description =
    'Writes SKILL.md with the frontmatter Claude Code reads (name, description) and marks the folder as installed by godmode.';
  static override examples = [
    { description: 'Install a skill', command: '<%= config.bin %> skills install code-review' },
    { description: 'Into a project instead', command: '<%= config.bin %> skills install code-review --dir .claude/skills' },
  ];
  static override args = { name: Args.string({ description: 'Skill name (see `godmode skills list`).', required: true }) };
  static override flags = {
    dir: Flags.string({ description: 'Skills folder (default: $CLAUDE_CONFIG_DIR/skills or ~/.claude/skills).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SkillsInstall);
    const account = openAccount({ onWarning: (m) => this.note(`warning: ${m}`) });
    const installed = await installSkill(await getSkill(account, args.name), { dir: flags.dir, env: account.env });
    this.emit({ type: 'skill_installed', ...installed });
    this.print(`Installed ${installed.name} → ${installed.path}`);
  }
}

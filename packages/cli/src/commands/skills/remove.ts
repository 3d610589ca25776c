import { Args, Flags } from '@oclif/core';
import { removeSkill } from '@godmode/auth';
import { GodmodeCommand } from '../../base-command.js';

export class SkillsRemove extends GodmodeCommand {
  static override summary = 'Uninstall a skill godmode installed for Claude Code (skills you wrote yourself are never touched).';
  static override description =
    'Only folders godmode installed (they carry a marker file) are removed; the skill stays in your account.';
  static override examples = [{ description: 'Remove a skill', command: '<%= config.bin %> skills remove code-review' }];
  static override args = { name: Args.string({ description: 'Skill name.', required: true }) };
  static override flags = {
    dir: Flags.string({ description: 'Skills folder (default: $CLAUDE_CONFIG_DIR/skills or ~/.claude/skills).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SkillsRemove);
    const removed = await removeSkill(args.name, { dir: flags.dir });
    this.emit({ type: 'skill_removed', name: args.name, removed });
    this.print(removed ? `Removed ${args.name}.` : `${args.name} is not installed.`);
  }
}

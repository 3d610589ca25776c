import { installedSkills, listSkills, openAccount } from '@godmode/auth';
import { GodmodeCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';
import { writeStdout } from '../../render/stdout.js';

export class SkillsList extends GodmodeCommand {
  static override summary = 'List the skills saved in your godmode account, and which are installed for Claude Code.';
  static override description =
    'Skills live in your godmode account (managed on the website); the installed column says whether godmode put one in the Claude Code skills folder.';
  static override examples = [
    { description: 'List skills', command: '<%= config.bin %> skills list' },
    { description: 'As JSON', command: '<%= config.bin %> skills list --json' },
  ];

  async run(): Promise<void> {
    await this.parse(SkillsList);
    const account = openAccount({ onWarning: (m) => this.note(`warning: ${m}`) });
    const [skills, installed] = await Promise.all([listSkills(account), installedSkills({ env: account.env })]);
    const rows = skills.map((s) => ({ ...s, installed: installed.includes(s.name) }));
    if (this.jsonMode) {
      writeStdout(JSON.stringify({ skills: rows }) + '\n');
      return;
    }
    if (rows.length === 0) return this.print('Your account has no skills yet.');
    this.print(renderTable(['skill', 'installed', 'description'], rows.map((r) => [r.name, r.installed ? 'yes' : '—', r.description])));
  }
}

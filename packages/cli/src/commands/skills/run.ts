import { Args } from '@oclif/core';
import { GodmodeCommand } from '../../base-command.js';
import { claudeFlags, claudeOptionsFrom } from '../../claude/flags.js';
import { ExitCode } from '../../exit-codes.js';
import { paint } from '../../render/color.js';

export class SkillsRun extends GodmodeCommand {
  static override summary = 'Run Claude Code with one of your installed skills.';
  static override description = `Runs \`/<name> [input]\` in headless Claude Code, which expands the skill's instructions. The skill must be installed (\`godmode skills install <name>\`, or your own in ~/.claude/skills or ./.claude/skills). "-" as input reads it from stdin.`;
  static override examples = [
    { description: 'Run a skill', command: '<%= config.bin %> skills run changelog' },
    { description: 'With input', command: '<%= config.bin %> skills run review "focus on error handling"' },
    { description: 'Input from stdin', command: 'git diff | <%= config.bin %> skills run review -' },
  ];
  static override args = {
    name: Args.string({ description: 'The skill name.', required: true }),
    input: Args.string({ description: 'What to give the skill ("-" reads stdin).', ignoreStdin: true }),
  };
  static override flags = { ...claudeFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SkillsRun);
    const { skillPrompt } = await import('../../claude/skills.js');
    const { buildPrompt } = await import('../../claude/prompt-input.js');
    const { runOneShot } = await import('../../claude/one-shot.js');
    const cwd = flags.cwd ?? process.cwd();
    const input = args.input === '-' ? await buildPrompt({ prompt: '-', cwd }) : args.input;
    const outcome = await runOneShot({
      prompt: await skillPrompt(args.name, input, cwd),
      options: claudeOptionsFrom(flags),
      cwd,
      output: this.jsonMode ? 'ndjson' : 'text',
      dim: (text) => paint('dim', text, process.stderr),
    });
    if (outcome.error && !this.jsonMode) this.note(`${paint('red', 'Claude Code:', process.stderr)} ${outcome.error}`);
    if (outcome.exitCode !== 0) this.exit(outcome.exitCode === 130 ? ExitCode.interrupted : ExitCode.failedOutcome);
  }
}

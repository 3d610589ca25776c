import { Args } from '@oclif/core';
import { GodmodeCommand } from '../base-command.js';
import { claudeFlags, claudeOptionsFrom } from '../claude/flags.js';
import { ExitCode } from '../exit-codes.js';
import { paint } from '../render/color.js';

export class Ask extends GodmodeCommand {
  static override summary = 'Ask Claude Code one question and stream the answer.';
  static override description = `Runs your own Claude Code (its login, its billing; no API key) headless, once, and prints the answer as it arrives. Exits 1 when Claude Code reports an error. When you are logged in to godmode, Claude Code also gets your account actions (an MCP server, through a temporary 0600 config).`;
  static override examples = [
    { description: 'Ask a question', command: '<%= config.bin %> ask "What does this repository do?"' },
    { description: 'With a model and a turn limit', command: '<%= config.bin %> ask --model opus --max-turns 3 "Explain src/index.ts"' },
    { description: "Claude Code's stream-json events as NDJSON", command: '<%= config.bin %> ask "hi" --json' },
  ];
  static override strict = false;
  static override args = { question: Args.string({ description: 'The question (several words are joined).', required: true }) };
  static override flags = { ...claudeFlags };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Ask);
    const { runOneShot } = await import('../claude/one-shot.js');
    const outcome = await runOneShot({
      prompt: (argv as string[]).join(' '),
      options: claudeOptionsFrom(flags),
      cwd: flags.cwd ?? process.cwd(),
      output: this.jsonMode ? 'ndjson' : 'text',
      dim: (text) => paint('dim', text, process.stderr),
    });
    if (outcome.error && !this.jsonMode) this.note(`${paint('red', 'Claude Code:', process.stderr)} ${outcome.error}`);
    if (outcome.exitCode !== 0) this.exit(outcome.exitCode === 130 ? ExitCode.interrupted : ExitCode.failedOutcome);
  }
}

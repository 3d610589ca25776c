import { Args, Flags } from '@oclif/core';
import { GodmodeCommand } from '../base-command.js';
import { claudeFlags, claudeOptionsFrom } from '../claude/flags.js';
import { ExitCode } from '../exit-codes.js';
import { paint } from '../render/color.js';

export class Run extends GodmodeCommand {
  static override summary = 'Run Claude Code once on a prompt, with files (and stdin) attached.';
  static override description = `One headless Claude Code run over your own login. Each --file is attached to the prompt in a <file path="…"> block; "-" reads stdin (as the prompt, or as one --file). Claude Code's stdin is closed, and a watchdog stops it if it lingers after its result. --json passes Claude Code's stream-json events through as NDJSON; --output-format json prints only the final result event.`;
  static override examples = [
    { description: 'Review two files', command: '<%= config.bin %> run "Review these for bugs" --file src/a.ts --file src/b.ts' },
    { description: 'Stdin as extra context', command: 'git diff | <%= config.bin %> run "Write a commit message for this diff" --file -' },
    { description: 'The prompt from stdin', command: 'cat task.md | <%= config.bin %> run -' },
    { description: 'Events for a script', command: '<%= config.bin %> run "List the TODOs" --json | jq -c "select(.type==\\"result\\")"' },
  ];
  static override args = { prompt: Args.string({ description: 'The prompt, or "-" to read it from stdin.', required: true }) };
  static override flags = {
    ...claudeFlags,
    file: Flags.string({ char: 'f', description: 'Attach a text file ("-" for stdin); repeatable.', multiple: true }),
    'output-format': Flags.string({ description: 'text: the answer as it streams; json: the final result event.', options: ['text', 'json'], default: 'text' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    const { buildPrompt } = await import('../claude/prompt-input.js');
    const { runOneShot } = await import('../claude/one-shot.js');
    const cwd = flags.cwd ?? process.cwd();
    const prompt = await buildPrompt({ prompt: args.prompt, files: flags.file ?? [], cwd });
    const outcome = await runOneShot({
      prompt,
      options: claudeOptionsFrom(flags),
      cwd,
      output: this.jsonMode ? 'ndjson' : flags['output-format'] === 'json' ? 'json' : 'text',
      dim: (text) => paint('dim', text, process.stderr),
    });
    if (outcome.error && !this.jsonMode) this.note(`${paint('red', 'Claude Code:', process.stderr)} ${outcome.error}`);
    if (outcome.exitCode !== 0) this.exit(outcome.exitCode === 130 ? ExitCode.interrupted : ExitCode.failedOutcome);
  }
}

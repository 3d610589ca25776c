import { Flags } from '@oclif/core';
import { GodmodeCommand } from '../base-command.js';
import { claudeFlags, claudeOptionsFrom } from '../claude/flags.js';
import { paint } from '../render/color.js';

export class Chat extends GodmodeCommand {
  static override summary = 'Chat with Claude Code, turn by turn, in one session.';
  static override description = `An interactive session over your own Claude Code: each line you send is one headless turn in the same Claude Code session, streamed as it arrives. Ctrl-C interrupts a running turn; a second Ctrl-C leaves, as do /exit and Ctrl-D. With --json, lines are read from stdin and every Claude Code event is printed as NDJSON.`;
  static override examples = [
    { description: 'Start a chat', command: '<%= config.bin %> chat' },
    { description: 'Let it edit files without asking', command: '<%= config.bin %> chat --permission-mode acceptEdits' },
    { description: 'Pick up an earlier session', command: '<%= config.bin %> chat --resume 5d4332d6-2245-419c-ad42-adbbc3b8c046' },
  ];
  static override flags = {
    ...claudeFlags,
    resume: Flags.string({ description: 'Continue a Claude Code session by id.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Chat);
    const { runChat } = await import('../claude/chat.js');
    const outcome = await runChat({
      options: claudeOptionsFrom(flags),
      cwd: flags.cwd ?? process.cwd(),
      json: this.jsonMode,
      dim: (text) => paint('dim', text, process.stderr),
      ...(flags.resume ? { resume: flags.resume } : {}),
    });
    this.emit({ type: 'godmode.chat.end', session_id: outcome.sessionId, turns: outcome.turns });
  }
}

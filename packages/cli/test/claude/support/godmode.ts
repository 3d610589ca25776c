/**
 * Runs one of the Claude Code commands as the `godmode` binary would — a real process, the real
 * command class through oclif — without needing every workspace package built (`apps/godmode`
 * imports the conductor and all its packages). Started with `node --import tsx`.
 */
import { fileURLToPath } from 'node:url';
import { Config, flush, handle, type Command } from '@oclif/core';
import { Ask } from '../../../src/commands/ask.js';
import { Chat } from '../../../src/commands/chat.js';
import { Run } from '../../../src/commands/run.js';
import { SkillsRun } from '../../../src/commands/skills/run.js';

const commands: Record<string, Command.Class> = { ask: Ask, chat: Chat, run: Run, 'skills:run': SkillsRun };
const [id = '', ...argv] = process.argv.slice(2);
const command = commands[id === 'skills' ? `skills:${argv.shift() ?? ''}` : id];
if (!command) {
  process.stderr.write(`test launcher: unknown command ${id}\n`);
  process.exit(2);
}
try {
  const config = await Config.load({ root: fileURLToPath(new URL('../../../', import.meta.url)) });
  await command.run(argv, config);
  await flush();
} catch (error) {
  await handle(error as Error);
}

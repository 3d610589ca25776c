/**
 * Runs one of the Claude Code commands as the `godmode` binary would (see ../../support/launch-command.ts),
 * without needing every workspace package built. Started with `node --import tsx`.
 */
import type { Command } from '@oclif/core';
import { Ask } from '../../../src/commands/ask.js';
import { Chat } from '../../../src/commands/chat.js';
import { Run } from '../../../src/commands/run.js';
import { SkillsRun } from '../../../src/commands/skills/run.js';
import { launchCommand } from '../../support/launch-command.js';

const commands: Record<string, Command.Class> = { ask: Ask, chat: Chat, run: Run, 'skills:run': SkillsRun };
const [id = '', ...argv] = process.argv.slice(2);
await launchCommand(commands[id === 'skills' ? `skills:${argv.shift() ?? ''}` : id], argv, id);

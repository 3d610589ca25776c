/**
 * Runs the plan-authoring commands as the `godmode` binary would (see ../../support/launch-command.ts).
 * Started with `node --import tsx`.
 */
import type { Command } from '@oclif/core';
import { OrchestraInit } from '../../../src/commands/orchestra/init.js';
import { OrchestraPlan } from '../../../src/commands/orchestra/plan.js';
import { OrchestraValidate } from '../../../src/commands/orchestra/validate.js';
import { launchCommand } from '../../support/launch-command.js';

const commands: Record<string, Command.Class> = { init: OrchestraInit, plan: OrchestraPlan, validate: OrchestraValidate };
const [, id = '', ...argv] = process.argv.slice(2);
await launchCommand(commands[id], argv, `orchestra ${id}`);

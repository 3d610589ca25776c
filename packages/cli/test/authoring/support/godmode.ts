/**
 * Runs the plan-authoring commands as the `godmode` binary would — a real process, the real command class
 * through oclif — without building every workspace package. Started with `node --import tsx`.
 */
import { fileURLToPath } from 'node:url';
import { Config, flush, handle, type Command } from '@oclif/core';
import { OrchestraInit } from '../../../src/commands/orchestra/init.js';
import { OrchestraPlan } from '../../../src/commands/orchestra/plan.js';
import { OrchestraValidate } from '../../../src/commands/orchestra/validate.js';

const commands: Record<string, Command.Class> = { init: OrchestraInit, plan: OrchestraPlan, validate: OrchestraValidate };
const [, id = '', ...argv] = process.argv.slice(2);
const command = commands[id];
if (!command) {
  process.stderr.write(`test launcher: unknown command orchestra ${id}\n`);
  process.exit(2);
}
try {
  const config = await Config.load({ root: fileURLToPath(new URL('../../../', import.meta.url)) });
  await command.run(argv, config);
  await flush();
} catch (error) {
  await handle(error as Error);
}

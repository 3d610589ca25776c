// oclif's explicit command target (package.json → oclif.commands). Every value is a getter that loads its one
// command module on first use, so `godmode orchestra ls` never loads `orchestra run`'s graph. oclif reads a
// command by id only when it runs it (help and listings come from oclif.manifest.json, written by the build).
// The list is @godmode/cli's COMMANDS, read at build time (src/bundle/command-modules.ts) and bundled in.
import { createRequire } from 'node:module';
import type { Command } from '@oclif/core';
import type { CommandModule } from './bundle/command-modules.js';

/** JSON of CommandModule[], replaced by the build (tsup.config.ts → define). */
declare const __GODMODE_COMMAND_MODULES__: string;

// `require` of an ES module is synchronous on Node >= 22.12, which a getter needs: oclif reads COMMANDS[id].
const load = createRequire(import.meta.url);

export const COMMANDS: Record<string, Command.Class> = {};
for (const { id, file, name } of JSON.parse(__GODMODE_COMMAND_MODULES__) as CommandModule[]) {
  Object.defineProperty(COMMANDS, id, {
    enumerable: true,
    get: () => (load(`./${file}.js`) as Record<string, Command.Class>)[name],
  });
}

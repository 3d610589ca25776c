/**
 * Runs the account commands as the `godmode` binary would — a real process, the real command classes
 * through oclif — from source (started with `node --import tsx`), without building the whole CLI.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Login } from '../../../cli/src/commands/login.js';
import { Logout } from '../../../cli/src/commands/logout.js';
import { Whoami } from '../../../cli/src/commands/whoami.js';
import { SkillsInstall } from '../../../cli/src/commands/skills/install.js';
import { SkillsList } from '../../../cli/src/commands/skills/list.js';
import { SkillsRemove } from '../../../cli/src/commands/skills/remove.js';

// @oclif/core is the CLI's dependency, not ours: resolve it from there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandClass = { run(argv: string[], config: any): Promise<unknown> };
interface Oclif {
  Config: { load(options: { root: string }): Promise<unknown> };
  flush(): Promise<void>;
  handle(error: Error): Promise<void>;
}
const { Config, flush, handle } = (await import(pathToFileURL(createRequire(new URL('../../../cli/package.json', import.meta.url)).resolve('@oclif/core')).href)) as Oclif;

const commands: Record<string, CommandClass> = { login: Login, logout: Logout, whoami: Whoami, 'skills:list': SkillsList, 'skills:install': SkillsInstall, 'skills:remove': SkillsRemove };
const [id = '', ...argv] = process.argv.slice(2);
const command = commands[id === 'skills' ? `skills:${argv.shift() ?? ''}` : id];
if (!command) {
  process.stderr.write(`test launcher: unknown command ${id}\n`);
  process.exit(2);
}
try {
  const config = await Config.load({ root: fileURLToPath(new URL('../../../cli/', import.meta.url)) });
  await command.run(argv, config);
  await flush();
} catch (error) {
  await handle(error as Error);
}

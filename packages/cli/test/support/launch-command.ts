import { fileURLToPath } from 'node:url';
import { Config, flush, handle, type Command } from '@oclif/core';

/**
 * Runs one command class as the `godmode` binary would — a real process, the real class through oclif, with the
 * cli package's own oclif config — without building every workspace package. Test launchers call it.
 */
export async function launchCommand(command: Command.Class | undefined, argv: string[], name: string): Promise<void> {
  if (!command) {
    process.stderr.write(`test launcher: unknown command ${name}\n`);
    process.exit(2);
  }
  try {
    const config = await Config.load({ root: fileURLToPath(new URL('../../', import.meta.url)) });
    await command.run(argv, config);
    await flush();
  } catch (error) {
    await handle(error as Error);
  }
}

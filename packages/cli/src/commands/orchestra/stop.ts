import { userInfo } from 'node:os';
import { Args, Flags } from '@oclif/core';
import { GodmodeCommand } from '../../base-command.js';
import { services } from '../../services.js';

export class OrchestraStop extends GodmodeCommand {
  static override summary = 'Stop a run gracefully: workers get SIGTERM with grace, their disk is reconciled.';
  static override description = 'The journal records who stopped the run. Works whether or not its conductor is still alive.';
  static override examples = [
    { description: 'Stop the latest run', command: '<%= config.bin %> orchestra stop' },
    { description: 'Stop a given run', command: '<%= config.bin %> orchestra stop 20261124-101500-demo-ab12' },
  ];
  static override args = { run: Args.string({ description: 'Run id or directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraStop);
    const by = `${safeUser()} via godmode orchestra stop (pid ${process.pid})`;
    const result = await services().stop({ run: args.run ?? '', cwd: flags.cwd, by });
    this.emit({ type: 'stopped', ...result, by });
    this.print(result.message);
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.untrusted-run');

/** A run folder this machine did not create or conduct, whose plan's commands were about to run. */
export class UntrustedRunError extends GodmodeError {
  private readonly [marker] = true;
  readonly runDir: string;

  constructor(options: { runDir: string; planFile: string; commands: string[]; skipFlag?: string }) {
    super({
      code: 'RUN_UNTRUSTED',
      audience: 'user',
      message: `${options.runDir} was not created or conducted on this machine, so the commands its plan.json names (${options.commands.join(', ')}) are not run: a run folder can come from anywhere, such as a cloned repository.`,
      hint: `Read ${options.planFile}; if you trust it, run the command again with --trust${options.skipFlag ? ` (or with ${options.skipFlag} to do without those commands)` : ''}.`,
    });
    this.name = 'UntrustedRunError';
    this.runDir = options.runDir;
  }

  static override isInstance(error: unknown): error is UntrustedRunError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

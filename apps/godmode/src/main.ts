import { execute } from '@oclif/core';

/**
 * The CLI: oclif dispatches to one command, loaded on its own (src/commands.ts); the `prerun` hook
 * (src/hooks/prerun.ts) wires the conductor into it first.
 */
export async function main(binUrl: string): Promise<void> {
  await execute({ dir: binUrl });
}

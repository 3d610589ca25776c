import { execute } from '@oclif/core';
import { provideServices } from '@godmode/cli';
import { createServices } from './services.js';

/** The composition root: wire the conductor into the commands, then let oclif dispatch. */
export async function main(binUrl: string): Promise<void> {
  provideServices(createServices());
  await execute({ dir: binUrl });
}

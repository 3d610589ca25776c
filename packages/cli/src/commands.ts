import type { Command } from '@oclif/core';
import { OrchestraRun } from './commands/orchestra/run.js';
import { OrchestraStatus } from './commands/orchestra/status.js';

/**
 * Every command, by id (topics joined with ":"; shown with spaces). An explicit map rather than a folder
 * scan so the CLI can be bundled and starts fast. One line per command; keep it sorted by id.
 */
export const COMMANDS: Record<string, Command.Class> = {
  'orchestra:run': OrchestraRun,
  'orchestra:status': OrchestraStatus,
};

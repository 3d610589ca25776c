import { commandOptionsSchema, type CommandOptions } from '@godmode/protocol';
import type { WorkerAdapter } from './adapter.js';

/**
 * Any command. A string runs through /bin/sh; the trailing `exit` keeps the shell as the group leader
 * (dash would otherwise exec the last command and the recorded command line would change under us).
 */
export const commandAdapter: WorkerAdapter = {
  name: 'command',
  optionsSchema: commandOptionsSchema,
  launch(spec, context) {
    const options = commandOptionsSchema.parse(spec.options) as CommandOptions;
    const env = { ...context.env, ...options.env };
    if (typeof options.command === 'string') return { file: '/bin/sh', args: ['-c', `${options.command}\nexit $?`], env };
    const [file, ...args] = options.command;
    return { file: file as string, args, env };
  },
};

import { toConfiguredId, type Hook } from '@oclif/core';
import { ExitCode } from '../exit-codes.js';
import { suggestCommand } from './suggest-command.js';

/**
 * An unknown command is wrong input: exit 2 (the README's table), with "did you mean" whether or not a
 * terminal is attached — a script's log needs the hint as much as a person does — and no prompt.
 */
const commandNotFound: Hook<'command_not_found'> = async function (opts) {
  const visible = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const suggestion = suggestCommand(opts.id, visible);
  const bin = opts.config.bin;
  const lines = [`"${bin} ${toConfiguredId(opts.id, opts.config)}" is not a ${bin} command.`];
  if (suggestion) lines.push(`Did you mean "${bin} ${toConfiguredId(suggestion, opts.config)}"?`);
  lines.push(`Run "${bin} --help" for the list of commands.`);
  this.error(lines.join('\n'), { exit: ExitCode.userError });
};

export default commandNotFound;

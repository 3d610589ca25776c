import { Args, Command, Flags } from '@oclif/core';

export class ScribeHello extends Command {
  static summary = 'Say hello from the scribe plugin.';
  static description = 'Shows that a plugin command runs inside godmode, next to the adapter the plugin adds.';
  static examples = ['<%= config.bin %> scribe hello', '<%= config.bin %> scribe hello Ada --shout'];
  static args = { name: Args.string({ description: 'who to greet', default: 'world' }) };
  static flags = { shout: Flags.boolean({ description: 'in capitals' }) };

  async run() {
    const { args, flags } = await this.parse(ScribeHello);
    const text = `hello, ${args.name}, from the scribe plugin`;
    this.log(flags.shout ? text.toUpperCase() : text);
  }
}

export const COMMANDS = { 'scribe:hello': ScribeHello };

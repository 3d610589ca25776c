import { openAccount, whoami } from '@godmode/auth';
import { GodmodeCommand } from '../base-command.js';
import { writeStdout } from '../render/stdout.js';

export class Whoami extends GodmodeCommand {
  static override summary = 'Show which godmode account this machine is logged in as.';
  static override description =
    'Asks the account service with the stored token (GODMODE_TOKEN, the OS keyring, or the 0600 file, in that order); fails clearly when the token was revoked or expired.';
  static override examples = [
    { description: 'Who am I', command: '<%= config.bin %> whoami' },
    { description: 'As JSON', command: '<%= config.bin %> whoami --json' },
  ];

  async run(): Promise<void> {
    await this.parse(Whoami);
    const me = await whoami(openAccount({ onWarning: (m) => this.note(`warning: ${m}`) }));
    if (this.jsonMode) {
      writeStdout(JSON.stringify(me) + '\n');
      return;
    }
    this.print(`Logged in as ${me.email ?? me.userId} (user ${me.userId}).`);
    if (me.token) {
      const where = me.token.source === 'env' ? 'GODMODE_TOKEN' : me.token.source === 'keyring' ? 'the OS keyring' : 'a private file';
      this.print(`Token ${me.token.prefix}… from ${where}${me.token.expiresAt ? `, expires ${me.token.expiresAt.slice(0, 10)}` : ''}.`);
    }
  }
}

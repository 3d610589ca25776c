import { logout, openAccount } from '@godmode/auth';
import { GodmodeCommand } from '../base-command.js';
import { writeStdout } from '../render/stdout.js';

export class Logout extends GodmodeCommand {
  static override summary = 'Revoke this machine’s godmode token on the server, then forget it locally.';
  static override description =
    'Revoking first means a copy of the token (a backup, another shell) stops working too. The local copy is removed even when the server cannot be reached.';
  static override examples = [{ description: 'Log out', command: '<%= config.bin %> logout' }];

  async run(): Promise<void> {
    await this.parse(Logout);
    const result = await logout(openAccount({ onWarning: (m) => this.note(`warning: ${m}`) }));
    if (this.jsonMode) {
      writeStdout(JSON.stringify(result) + '\n');
      return;
    }
    if (!result.wasLoggedIn) return this.print('You were not logged in.');
    const server =
      result.revoked === true ? 'the token is revoked' : result.revoked === false ? 'the token was already invalid' : 'the server could not be reached, so the token may still be valid until it expires';
    this.print(`Logged out: ${server}, and it is removed from this machine.`);
    if (result.source === 'env') this.note('GODMODE_TOKEN is still set in your environment: unset it.');
  }
}

import { spawn } from 'node:child_process';
import { Flags } from '@oclif/core';
import { login, openAccount } from '@godmode/auth';
import { GodmodeCommand } from '../base-command.js';

export class Login extends GodmodeCommand {
  static override summary = 'Pair this machine with your godmode account (device code; no API key ever pasted).';
  static override description =
    'Shows a code and a URL; approve the code on the website while signed in. The CLI then receives an opaque gmmcp_ token, kept in the OS keyring or, where there is none, in a 0600 file under the config dir.';
  static override examples = [
    { description: 'Log in (opens a browser when it can)', command: '<%= config.bin %> login' },
    { description: 'On a server or over SSH', command: '<%= config.bin %> login --no-browser' },
  ];
  static override flags = {
    browser: Flags.boolean({ description: 'Open the verification page in a browser.', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Login);
    const account = openAccount({ onWarning: (m) => this.note(`warning: ${m}`) });
    const result = await login(account, {
      onCode: (code) => {
        this.emit({ type: 'device_code', user_code: code.userCode, verification_uri: code.verificationUri, verification_uri_complete: code.verificationUriComplete, expires_in: code.expiresIn });
        this.print(`To log in, open ${code.verificationUri} and enter the code:\n\n    ${code.userCode}\n`);
        this.print(`Or open ${code.verificationUriComplete}`);
        this.print(`Waiting for approval (the code expires in ${Math.round(code.expiresIn / 60)} minutes)…`);
        if (flags.browser) openBrowser(code.verificationUriComplete);
      },
    });
    this.emit({ type: 'logged_in', stored_in: result.storedIn, token_prefix: result.tokenPrefix });
    this.print(`Logged in. Token ${result.tokenPrefix}… stored in ${result.storedIn === 'keyring' ? 'the OS keyring' : 'a private file (mode 0600)'}.`);
  }
}

/** Best effort: a headless box simply has no opener, and the printed URL is enough. */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener: fine
  }
}

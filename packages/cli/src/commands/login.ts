import { spawn } from 'node:child_process';
import { Flags } from '@oclif/core';
import { AccessDeniedError, DeviceCodeExpiredError, discoverService, login, openAccount, saveServiceConfig, whoami, type Env, type LoginResult } from '@godmode/auth';
import { ExitCode } from '../exit-codes.js';
import { paint } from '../render/color.js';
import { GodmodeCommand } from '../base-command.js';
import { writeStdout } from '../render/stdout.js';

export class Login extends GodmodeCommand {
  static override summary = 'Pair this machine with your godmode account (device code; no API key ever pasted).';
  static override description =
    'Shows a code and a URL; approve the code on the device page while signed in. On a desktop session the page opens in your browser (not over SSH, not in CI; --no-browser to skip). The CLI then receives an opaque gmmcp_ token, kept in the OS keyring or, where there is none, in a 0600 file under the config dir. --service <url> first points the CLI at a team\'s deployment and remembers it in config.json.';
  static override examples = [
    { description: 'Log in (opens a browser on a desktop session)', command: '<%= config.bin %> login' },
    { description: 'On a server or over SSH', command: '<%= config.bin %> login --no-browser' },
    { description: "Use your team's deployment from now on", command: '<%= config.bin %> login --service https://auth.example.com' },
  ];
  static override flags = {
    browser: Flags.boolean({ description: 'Open the verification page in a browser (on a desktop session only).', default: true, allowNo: true }),
    service: Flags.string({ description: "A godmode deployment's project URL: written to config.json, then used for this login.", helpValue: '<url>' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Login);
    const env: Env = process.env;
    let config;
    if (flags.service) {
      const service = await discoverService(flags.service);
      const file = await saveServiceConfig(service, env);
      this.emit({ type: 'service', supabase_url: service.supabaseUrl, config_file: file });
      this.print(`Using the godmode deployment at ${service.supabaseUrl} (saved in ${file}).`);
      if (env['GODMODE_SUPABASE_URL'] || env['GODMODE_SUPABASE_KEY']) {
        this.note('warning: GODMODE_SUPABASE_URL/GODMODE_SUPABASE_KEY are set; they win over the config file for later commands.');
      }
      config = service;
    }
    const account = openAccount({ env, ...(config ? { config } : {}), onWarning: (m) => this.note(`warning: ${m}`) });
    let result: LoginResult;
    try {
      result = await this.pair(account, flags.browser, env);
    } catch (error) {
      // Denied on the page, or not approved in time: the login ran and its outcome is a failure (exit 1).
      if (!AccessDeniedError.isInstance(error) && !DeviceCodeExpiredError.isInstance(error)) throw error;
      if (this.jsonMode) writeStdout(JSON.stringify({ type: 'error', code: error.code, audience: error.audience, message: error.message, hint: error.hint ?? null }) + '\n');
      else this.note(`${paint('red', 'Error:', process.stderr)} ${error.message}${error.hint ? `\n${paint('dim', error.hint, process.stderr)}` : ''}`);
      process.exitCode = ExitCode.failedOutcome;
      return this.exit(ExitCode.failedOutcome);
    }
    this.emit({ type: 'logged_in', stored_in: result.storedIn, token_prefix: result.tokenPrefix });
    this.print(`Logged in. Token ${result.tokenPrefix}… stored in ${result.storedIn === 'keyring' ? 'the OS keyring' : 'a private file (mode 0600)'}.`);
    try {
      const me = await whoami(account);
      this.emit({ type: 'identity', user_id: me.userId, email: me.email });
      this.print(`Logged in as ${me.email ?? me.userId} (user ${me.userId}).`);
    } catch (error) {
      this.note(`warning: logged in, but the account service did not say who you are: ${(error as Error).message}`);
    }
  }

  private pair(account: ReturnType<typeof openAccount>, browser: boolean, env: Env): Promise<LoginResult> {
    return login(account, {
      onCode: (code) => {
        this.emit({ type: 'device_code', user_code: code.userCode, verification_uri: code.verificationUri, verification_uri_complete: code.verificationUriComplete, expires_in: code.expiresIn });
        this.print(`To log in, open ${code.verificationUri} and enter the code:\n\n    ${code.userCode}\n`);
        this.print(`Or open ${code.verificationUriComplete}`);
        const open = browserDecision(browser, env, process.platform);
        if (open.open && openBrowser(code.verificationUriComplete)) this.print('Opened it in your browser. Check that the page shows the same code before you approve.');
        else if (browser && !open.open) this.emit({ type: 'browser', opened: false, reason: open.reason });
        this.print(`Waiting for approval (the code expires in ${Math.round(code.expiresIn / 60)} minutes)…`);
      },
    });
  }
}

/**
 * Whether to open the page: only on a desktop session a person is looking at — always on macOS and
 * Windows, on Linux and the BSDs when DISPLAY or WAYLAND_DISPLAY is set — and never over SSH (the browser
 * would open on the far machine, or nowhere), in CI, or with --no-browser.
 */
export function browserDecision(wanted: boolean, env: Env, platform: NodeJS.Platform): { open: boolean; reason: string } {
  if (!wanted) return { open: false, reason: '--no-browser' };
  if (env['CI'] && env['CI'] !== 'false' && env['CI'] !== '0') return { open: false, reason: 'CI' };
  if (env['SSH_CONNECTION'] || env['SSH_CLIENT'] || env['SSH_TTY']) return { open: false, reason: 'SSH session' };
  if (platform === 'darwin' || platform === 'win32') return { open: true, reason: 'desktop' };
  if (env['DISPLAY'] || env['WAYLAND_DISPLAY']) return { open: true, reason: 'desktop' };
  return { open: false, reason: 'no display' };
}

/** Best effort: true when an opener started; the printed URL is always enough. */
function openBrowser(url: string): boolean {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return child.pid !== undefined;
  } catch {
    return false;
  }
}

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthConfigError } from './errors/auth-config-error.js';
import { redactCredentials, rememberCredential } from './redact-credentials.js';

export type Env = Record<string, string | undefined>;

/** The CLI's config folder: `GODMODE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/godmode`, else `~/.config/godmode`. */
export function configDir(env: Env = process.env): string {
  if (env['GODMODE_CONFIG_DIR']) return env['GODMODE_CONFIG_DIR'];
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'godmode');
}

export function configFile(env: Env = process.env): string {
  return join(configDir(env), 'config.json');
}

export interface AccountConfig {
  supabaseUrl: string;
  /** The project's publishable (anon) key: public by design, RLS guards the data. */
  supabaseKey: string;
  configDir: string;
}

/** Env first (`GODMODE_SUPABASE_URL`, `GODMODE_SUPABASE_KEY`), then `config.json` in the config folder. */
export function loadAccountConfig(env: Env = process.env): AccountConfig {
  const file = configFile(env);
  let fromFile: { supabaseUrl?: unknown; supabaseKey?: unknown } = {};
  try {
    fromFile = JSON.parse(readFileSync(file, 'utf8')) as typeof fromFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AuthConfigError({ code: 'AUTH_CONFIG_INVALID', message: `${file} is not valid JSON.`, hint: 'Fix or delete the file.', cause: error });
    }
  }
  const supabaseUrl = env['GODMODE_SUPABASE_URL'] || (typeof fromFile.supabaseUrl === 'string' ? fromFile.supabaseUrl : '');
  const supabaseKey = env['GODMODE_SUPABASE_KEY'] || (typeof fromFile.supabaseKey === 'string' ? fromFile.supabaseKey : '');
  const missing = [!supabaseUrl && 'GODMODE_SUPABASE_URL', !supabaseKey && 'GODMODE_SUPABASE_KEY'].filter(Boolean);
  if (missing.length > 0) {
    throw new AuthConfigError({
      message: `godmode does not know which account service to use: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
      hint: `Set ${missing.join(' and ')}, or put {"supabaseUrl": "...", "supabaseKey": "..."} in ${file}.`,
    });
  }
  rememberCredential(supabaseKey);
  let url: URL;
  try {
    url = new URL(supabaseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch (error) {
    // The value is shown redacted (AuthConfigError redacts every message): a mistyped URL may carry a password.
    throw new AuthConfigError({ code: 'AUTH_CONFIG_INVALID', message: `The Supabase URL "${redactCredentials(supabaseUrl)}" is not an http(s) URL.`, hint: 'Use the project URL, e.g. https://<ref>.supabase.co', cause: error });
  }
  if (url.username || url.password) {
    rememberCredential(decodeURIComponent(url.password));
    throw new AuthConfigError({
      code: 'AUTH_CONFIG_INVALID',
      message: `The Supabase URL ${redactCredentials(url.href)} carries a user name or password; a project URL never does.`,
      hint: 'Remove the `user:password@` part (GODMODE_SUPABASE_URL or supabaseUrl in the config file): the CLI signs in with its own token.',
    });
  }
  return { supabaseUrl: supabaseUrl.replace(/\/+$/, ''), supabaseKey, configDir: configDir(env) };
}

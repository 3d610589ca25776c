import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { Env } from './config.js';
import { rememberCredential } from './redact-credentials.js';

export type TokenSource = 'env' | 'keyring' | 'file';

export interface StoredToken {
  token: string;
  source: TokenSource;
}

export interface TokenStoreOptions {
  configDir: string;
  env?: Env;
  /** Try the OS keyring first (default true; `GODMODE_KEYRING=0` turns it off). */
  keyring?: boolean;
  /** Keyring service name (tests use their own so they never touch a real login). */
  keyringService?: string;
  /** Told once when the token has to live in a file because no keyring answered. */
  onWarning?: (message: string) => void;
}

const SERVICE = 'godmode';
const ACCOUNT = 'cli-token';

interface KeyringEntry {
  setPassword(p: string): void;
  getPassword(): string | null | undefined;
  deletePassword(): boolean | void;
}

/**
 * Where the CLI token lives: `GODMODE_TOKEN` wins; else the OS keyring (@napi-rs/keyring); else — headless
 * boxes, CI — a file with mode 0600 in a 0700 folder under the config dir, with a warning.
 */
export class TokenStore {
  readonly file: string;
  private readonly env: Env;
  private readonly useKeyring: boolean;
  private readonly onWarning: (message: string) => void;
  private readonly service: string;

  constructor(options: TokenStoreOptions) {
    this.env = options.env ?? process.env;
    this.file = join(options.configDir, 'credentials', 'token');
    this.useKeyring = (options.keyring ?? true) && this.env['GODMODE_KEYRING'] !== '0';
    this.service = options.keyringService ?? SERVICE;
    this.onWarning = options.onWarning ?? ((m) => process.stderr.write(`warning: ${m}\n`));
  }

  async read(): Promise<StoredToken | null> {
    const found = await this.find();
    rememberCredential(found?.token);
    return found;
  }

  private async find(): Promise<StoredToken | null> {
    const fromEnv = this.env['GODMODE_TOKEN'];
    if (fromEnv) return { token: fromEnv.trim(), source: 'env' };
    const entry = await this.entry();
    if (entry) {
      try {
        const token = entry.getPassword();
        if (token) return { token, source: 'keyring' };
      } catch {
        // no keyring here: the file decides
      }
    }
    try {
      const token = (await readFile(this.file, 'utf8')).trim();
      return token ? { token, source: 'file' } : null;
    } catch {
      return null;
    }
  }

  async write(token: string): Promise<Exclude<TokenSource, 'env'>> {
    const entry = await this.entry();
    if (entry) {
      try {
        entry.setPassword(token);
        await rm(this.file, { force: true });
        return 'keyring';
      } catch (error) {
        this.onWarning(`no OS keyring available (${firstLine(error)}); the token is stored in ${this.file} (mode 0600).`);
      }
    }
    const dir = join(this.file, '..');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    // Mode 0600 from the first byte (the temp file is created with it), whatever the umask or an older file's mode.
    await writeFileAtomic(this.file, token + '\n', { mode: 0o600 });
    return 'file';
  }

  /** Forgets the token everywhere it can be (not `GODMODE_TOKEN`, which the caller's shell owns). */
  async delete(): Promise<void> {
    const entry = await this.entry();
    try {
      entry?.deletePassword();
    } catch {
      // nothing stored there, or no keyring
    }
    await rm(this.file, { force: true });
  }

  private async entry(): Promise<KeyringEntry | null> {
    if (!this.useKeyring) return null;
    try {
      const { Entry } = await import('@napi-rs/keyring');
      return new Entry(this.service, ACCOUNT) as KeyringEntry;
    } catch {
      return null;
    }
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.trim();
}

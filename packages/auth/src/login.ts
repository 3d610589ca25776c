import { arch, hostname, release, type as osType } from 'node:os';
import { invoke, type Account } from './account.js';
import { AccessDeniedError } from './errors/access-denied-error.js';
import { AuthServiceError } from './errors/auth-service-error.js';
import { DeviceCodeExpiredError } from './errors/device-code-expired-error.js';
import type { TokenSource } from './token-store.js';

export interface DeviceCode {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
}

export interface LoginOptions {
  /** Show the code and the URL (and open a browser, if the caller wants). */
  onCode: (code: DeviceCode) => void | Promise<void>;
  /** Told about each poll answer; for progress display. */
  onPoll?: (state: 'authorization_pending' | 'slow_down', intervalMs: number) => void;
  /**
   * How the device page names this machine to the person approving: sent as `client_name`
   * (`<name> · <platform>`, see `deviceLabel`). Default: `godmode CLI on <hostname>` and this OS.
   */
  clientName?: string;
  platform?: string;
  /** Injected so tests drive the stand-in's clock instead of waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export interface LoginResult {
  storedIn: Exclude<TokenSource, 'env'>;
  tokenPrefix: string;
}

/**
 * RFC 8628 from the device's side: start, show the code, poll no faster than `interval`, add 5 s on every
 * `slow_down` (for all later polls), stop on `access_denied` / `expired_token`, store the token.
 */
export async function login(account: Account, options: LoginOptions): Promise<LoginResult> {
  const sleep = options.sleep ?? defaultSleep;
  const clientName = deviceLabel(options.clientName ?? `godmode CLI on ${hostname()}`, options.platform ?? describePlatform());
  const started = await invoke(account, 'cli-auth', { action: 'start', client_name: clientName });
  const s = started.body;
  if (started.status !== 200 || typeof s['device_code'] !== 'string' || typeof s['user_code'] !== 'string') {
    throw new AuthServiceError({ message: `The account service did not start a login (HTTP ${started.status}${s['error'] ? `: ${String(s['error'])}` : ''}).` });
  }
  const deviceCode = s['device_code'];
  await options.onCode({
    userCode: s['user_code'],
    verificationUri: String(s['verification_uri']),
    verificationUriComplete: String(s['verification_uri_complete'] ?? s['verification_uri']),
    expiresIn: Number(s['expires_in'] ?? 900),
  });
  let intervalMs = Math.max(1, Number(s['interval'] ?? 5)) * 1000;
  for (;;) {
    options.signal?.throwIfAborted();
    await sleep(intervalMs, options.signal);
    const polled = await invoke(account, 'cli-auth', { action: 'poll', device_code: deviceCode });
    const b = polled.body;
    if (polled.status === 200 && typeof b['access_token'] === 'string') {
      const token = b['access_token'];
      const storedIn = await account.tokens.write(token);
      return { storedIn, tokenPrefix: token.slice(0, 12) };
    }
    switch (b['error']) {
      case 'authorization_pending':
        options.onPoll?.('authorization_pending', intervalMs);
        continue;
      case 'slow_down':
        intervalMs = Math.max(intervalMs + 5000, Number(b['interval'] ?? 0) * 1000);
        options.onPoll?.('slow_down', intervalMs);
        continue;
      case 'access_denied':
        throw new AccessDeniedError({ message: 'The login was declined on the website.', hint: 'Run `godmode login` again and approve the code if it was you.' });
      case 'expired_token':
        throw new DeviceCodeExpiredError({ message: 'The login code expired before it was approved.', hint: 'Run `godmode login` again and enter the new code within 15 minutes.' });
      default:
        throw new AuthServiceError({ message: `Login failed: the account service answered HTTP ${polled.status}${b['error'] ? ` (${String(b['error'])})` : ''}.` });
    }
  }
}

/**
 * `client_name` as the device page reads it: `<name> · <platform>` (supabase/functions/device/client-name.ts
 * splits it at the last ` · `). Control characters and the separator are taken out of each part, and the
 * whole fits the column's 200 characters.
 */
export function deviceLabel(name: string, platform: string): string {
  const clean = (text: string, max: number) =>
    text
      .replace(/\s+/g, ' ')
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/\s·\s/g, ' - ')
      .trim()
      .slice(0, max);
  return `${clean(name, 120) || 'godmode CLI'} · ${clean(platform, 70) || 'unknown platform'}`;
}

/** `Linux 6.8.0-45-generic (x64)`, `macOS (Darwin 23.5.0, arm64)`, `Windows 10.0.22631 (x64)`. */
export function describePlatform(kind: string = osType(), version: string = release(), cpu: string = arch()): string {
  if (kind === 'Darwin') return `macOS (Darwin ${version}, ${cpu})`;
  if (kind === 'Windows_NT') return `Windows ${version} (${cpu})`;
  return `${kind} ${version} (${cpu})`;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

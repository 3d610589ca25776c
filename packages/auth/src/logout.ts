import { invoke, type Account } from './account.js';
import type { TokenSource } from './token-store.js';

export interface LogoutResult {
  wasLoggedIn: boolean;
  /** true: the server revoked it; false: it was already dead; 'unreachable': revocation could not be confirmed. */
  revoked: boolean | 'unreachable';
  /** Where the token came from; `env` means GODMODE_TOKEN is still set in the caller's shell. */
  source: TokenSource | null;
}

/** Revoke server-side first (so a copied token dies too), then forget it locally whatever the server said. */
export async function logout(account: Account): Promise<LogoutResult> {
  const stored = await account.tokens.read();
  if (!stored) return { wasLoggedIn: false, revoked: false, source: null };
  let revoked: LogoutResult['revoked'];
  try {
    const reply = await invoke(account, 'cli-auth', { action: 'revoke' }, { token: stored.token, timeout: 10_000 });
    revoked = reply.status === 200 ? reply.body['revoked'] === true : reply.status === 401 ? false : 'unreachable';
  } catch {
    revoked = 'unreachable';
  }
  await account.tokens.delete();
  return { wasLoggedIn: true, revoked, source: stored.source };
}

import { invoke, type Account } from './account.js';
import { AuthServiceError } from './errors/auth-service-error.js';
import { NotLoggedInError } from './errors/not-logged-in-error.js';
import { TokenRejectedError } from './errors/token-rejected-error.js';
import type { StoredToken } from './token-store.js';

export interface Identity {
  userId: string;
  email: string | null;
  token: { prefix: string; createdAt: string | null; lastUsedAt: string | null; expiresAt: string | null; source: StoredToken['source'] } | null;
}

/** The stored token, or NotLoggedInError. */
export async function requireToken(account: Account): Promise<StoredToken> {
  const stored = await account.tokens.read();
  if (!stored) throw new NotLoggedInError({ message: 'You are not logged in to godmode.', hint: 'Run `godmode login`.' });
  return stored;
}

export function rejected(source: StoredToken['source']): TokenRejectedError {
  return new TokenRejectedError({
    message: 'Your godmode login is no longer valid: the token was revoked or has expired.',
    hint: source === 'env' ? 'GODMODE_TOKEN holds a dead token: unset it or replace it, then run `godmode login`.' : 'Run `godmode login` again.',
  });
}

export async function whoami(account: Account): Promise<Identity> {
  const stored = await requireToken(account);
  const reply = await invoke(account, 'mcp-actions', { action: 'whoami' }, { token: stored.token });
  if (reply.status === 401) throw rejected(stored.source);
  if (reply.status !== 200) throw new AuthServiceError({ message: `whoami failed: the account service answered HTTP ${reply.status}.` });
  const b = reply.body as { user_id: string; email: string | null; token: Record<string, string | null> | null };
  return {
    userId: b.user_id,
    email: b.email,
    token: b.token
      ? { prefix: String(b.token['prefix']), createdAt: b.token['created_at'] ?? null, lastUsedAt: b.token['last_used_at'] ?? null, expiresAt: b.token['expires_at'] ?? null, source: stored.source }
      : null,
  };
}

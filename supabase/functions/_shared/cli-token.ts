import type { Db } from './deps.ts';
import { base64url, sha256Hex } from './http.ts';

export const TOKEN_PREFIX = 'gmmcp_';

/** A new opaque token: 32 random bytes; the caller stores only its hash. */
export function mintToken(randomBytes: (n: number) => Uint8Array): string {
  return TOKEN_PREFIX + base64url(randomBytes(32));
}

/** The first characters users see in a token list; too short to be useful to anyone else. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

export interface TokenOwner {
  tokenId: string;
  userId: string;
}

/** The live token's owner (and its last use recorded), or null when unknown, revoked or expired. */
export async function authenticateToken(db: Db, token: string | null, now: Date): Promise<TokenOwner | null> {
  if (!token || !token.startsWith(TOKEN_PREFIX)) return null;
  const { rows } = await db.query<{ token_id: string; user_id: string }>(
    'select token_id, user_id from public.touch_cli_token($1, $2)',
    [await sha256Hex(token), now.toISOString()],
  );
  const row = rows[0];
  return row ? { tokenId: row.token_id, userId: row.user_id } : null;
}

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The godmode account token(s) configured on this machine, read the way @godmode/auth's TokenStore finds
 * them: `GODMODE_TOKEN` first, then `<config dir>/credentials/token` (the config dir is
 * `GODMODE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/godmode`, else `~/.config/godmode`). The OS keyring is not
 * read here (the scorer does not load a native module just to grade); a caller that has the token from
 * the keyring passes it in `accountTokens`. Both places are returned when both hold one: a stale file
 * token is as much a secret as the one in use.
 */
export function readAccountTokens(env: Record<string, string | undefined> = process.env): string[] {
  const found: string[] = [];
  const fromEnv = env['GODMODE_TOKEN']?.trim();
  if (fromEnv) found.push(fromEnv);
  const dir = env['GODMODE_CONFIG_DIR'] || join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'godmode');
  try {
    const fromFile = readFileSync(join(dir, 'credentials', 'token'), 'utf8').trim();
    if (fromFile && !found.includes(fromFile)) found.push(fromFile);
  } catch {
    // not logged in with a file token
  }
  return found;
}

/** How a leaked credential is named in a report: its first characters and length, never the value. */
export function redactCredential(value: string): string {
  const shown = value.startsWith('gmmcp_') ? 'gmmcp_'.length + 3 : Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}…, ${value.length} chars`;
}

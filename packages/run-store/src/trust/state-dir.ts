import { homedir } from 'node:os';
import path from 'node:path';

/**
 * godmode's per-user state folder, outside every run folder and repository: `$GODMODE_STATE_DIR`, else
 * `$XDG_STATE_HOME/godmode`, else `~/.local/state/godmode`.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GODMODE_STATE_DIR) return path.resolve(env.GODMODE_STATE_DIR);
  if (env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)) return path.join(env.XDG_STATE_HOME, 'godmode');
  return path.join(homedir(), '.local', 'state', 'godmode');
}

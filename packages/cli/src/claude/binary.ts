import { findProgram } from '../find-program.js';
import { ClaudeNotInstalledError } from './errors/claude-not-installed-error.js';

/**
 * Which `claude` to run: `GODMODE_CLAUDE_BIN` when set (a path, or a name looked up on PATH),
 * else `claude` on PATH. Resolved up front so a missing install is a clear error, not an ENOENT.
 */
export function resolveClaudeBinary(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.GODMODE_CLAUDE_BIN?.trim();
  const wanted = fromEnv || 'claude';
  const found = findProgram(wanted, env, process.cwd());
  if (!found) throw new ClaudeNotInstalledError({ binary: wanted, fromEnv: Boolean(fromEnv) });
  return found;
}

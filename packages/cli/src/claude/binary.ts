import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ClaudeNotInstalledError } from './errors/claude-not-installed-error.js';

/**
 * Which `claude` to run: `GODMODE_CLAUDE_BIN` when set (a path, or a name looked up on PATH),
 * else `claude` on PATH. Resolved up front so a missing install is a clear error, not an ENOENT.
 */
export function resolveClaudeBinary(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.GODMODE_CLAUDE_BIN?.trim();
  const wanted = fromEnv || 'claude';
  const found = wanted.includes('/') ? (isExecutable(resolve(wanted)) ? resolve(wanted) : undefined) : onPath(wanted, env.PATH ?? '');
  if (!found) throw new ClaudeNotInstalledError({ binary: wanted, fromEnv: Boolean(fromEnv) });
  return found;
}

function onPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

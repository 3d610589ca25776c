import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ClaudeTestEnvOptions {
  /** An empty temporary folder used as HOME (and Claude Code's config folder), so no user login or settings leak in. */
  home: string;
  /** The stand-in's URL; leave it out for a run with no credentials at all. */
  standInUrl?: string;
  /** The environment to start from; default `process.env`. */
  base?: NodeJS.ProcessEnv;
}

/**
 * The environment for running the real Claude Code in a test: a fresh HOME, no inherited
 * `ANTHROPIC_*` / `CLAUDE*` variables, no auto-updater or telemetry traffic, and — with a
 * stand-in — `ANTHROPIC_BASE_URL` pointing at it with a dummy `ANTHROPIC_API_KEY`.
 */
export function claudeTestEnv(options: ClaudeTestEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.base ?? process.env)) {
    if (value === undefined) continue;
    // CLAUDECODE makes a nested Claude Code think it runs inside another one.
    if (/^(ANTHROPIC_|CLAUDE)/.test(key)) continue;
    env[key] = value;
  }
  env.HOME = options.home;
  env.CLAUDE_CONFIG_DIR = join(options.home, '.claude');
  env.DISABLE_AUTOUPDATER = '1';
  env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1';
  if (options.standInUrl !== undefined) {
    env.ANTHROPIC_BASE_URL = options.standInUrl;
    env.ANTHROPIC_API_KEY = 'stand-in-test-key';
  }
  return env;
}

/** The `claude` binary installed in this workspace (`@anthropic-ai/claude-code`), found upwards from here. */
export function findClaudeBinary(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', 'claude');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('no node_modules/.bin/claude found above ' + from);
  }
}

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
  /**
   * How Claude Code authenticates to the stand-in: `api-key` (default, `ANTHROPIC_API_KEY`) or
   * `subscription` (`CLAUDE_CODE_OAUTH_TOKEN`, as a Claude.ai login), which makes Claude Code read
   * the unified rate-limit headers and report `rate_limit_event`s and "You've hit your … limit".
   */
  auth?: 'api-key' | 'subscription';
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
    if (options.auth === 'subscription') env.CLAUDE_CODE_OAUTH_TOKEN = 'sk-ant-oat01-stand-in-test-token';
    else env.ANTHROPIC_API_KEY = 'stand-in-test-key';
  }
  return env;
}

/**
 * Which Claude Code a test drives: `pinned` (default) is the pure-JS `@anthropic-ai/claude-code` pinned in the
 * root package.json; `latest` is the native binary of the newest release, installed from its platform package
 * (`@anthropic-ai/claude-code-<platform>-<arch>`, an optional dependency of the root). `GODMODE_TEST_CLAUDE`
 * chooses; the `claude-latest` vitest project sets it and puts that binary first on PATH.
 */
export type ClaudeFlavor = 'pinned' | 'latest';

export function claudeFlavor(env: NodeJS.ProcessEnv = process.env): ClaudeFlavor {
  return env.GODMODE_TEST_CLAUDE === 'latest' ? 'latest' : 'pinned';
}

/** The folder of the native Claude Code binary for this platform, or undefined when it is not installed. */
export function nativeClaudeDir(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  const pkg = `claude-code-${process.platform}-${process.arch}`;
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@anthropic-ai', pkg);
    if (existsSync(join(candidate, 'claude'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The `claude` binary installed in this workspace, of the flavor asked for (default: `GODMODE_TEST_CLAUDE`). */
export function findClaudeBinary(from: string = dirname(fileURLToPath(import.meta.url)), flavor: ClaudeFlavor = claudeFlavor()): string {
  if (flavor === 'latest') {
    const dir = nativeClaudeDir(from);
    if (!dir) throw new Error(`the native Claude Code for ${process.platform}-${process.arch} is not installed above ${from} (an optional dependency of the root package.json)`);
    return join(dir, 'claude');
  }
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', 'claude');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('no node_modules/.bin/claude found above ' + from);
  }
}

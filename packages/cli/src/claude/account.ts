import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What a command needs to give Claude Code the user's account actions. */
export interface AccountLink {
  /** Claude Code's `--mcp-config` document; it holds the token, so it is only ever written 0600. */
  mcpConfig: { mcpServers: Record<string, unknown> };
  /** The MCP server names it configures (what Claude Code's `system/init` lists). */
  servers: string[];
}

export type AccountResolution = { link: AccountLink } | { link: null; reason: string };

/**
 * The signed-in godmode account, if any: the token from `@godmode/auth`'s store (`GODMODE_TOKEN`,
 * keyring or file) and the account service's functions URL. Loaded lazily: supabase-js is not
 * something `godmode --help` should pay for.
 */
export async function resolveAccount(env: NodeJS.ProcessEnv = process.env): Promise<AccountResolution> {
  // Without an account service there is no login to find: skip loading the client (~0.3 s).
  if (!env.GODMODE_SUPABASE_URL && !existsSync(configFileOf(env))) return { link: null, reason: 'no account service is configured' };
  const auth = await import('@godmode/auth');
  let config;
  try {
    config = auth.loadAccountConfig(env);
  } catch (error) {
    if (auth.AuthConfigError.isInstance(error)) return { link: null, reason: 'no account service is configured' };
    throw error;
  }
  const stored = await new auth.TokenStore({ configDir: config.configDir, env, onWarning: () => {} }).read();
  if (!stored) return { link: null, reason: 'not logged in' };
  const mcpConfig = auth.mcpConfigFor(stored.token, auth.functionsUrlOf(config.supabaseUrl));
  return { link: { mcpConfig, servers: Object.keys(mcpConfig.mcpServers) } };
}

/** The one line a command prints (stderr) when it runs without account actions. */
export function noAccountNote(reason: string): string {
  return `godmode: ${reason}, so Claude Code runs without your account actions. Run \`godmode login\` to turn them on.`;
}

/** Where `@godmode/auth` keeps its config (same rule as its `configFile`), checked without loading it. */
function configFileOf(env: NodeJS.ProcessEnv): string {
  const dir = env.GODMODE_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'godmode');
  return join(dir, 'config.json');
}

import { createClient, FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { configDir, loadAccountConfig, type AccountConfig, type Env } from './config.js';
import { AuthServiceError } from './errors/auth-service-error.js';
import { rememberCredential } from './redact-credentials.js';
import { TokenStore } from './token-store.js';

export interface AccountOptions {
  env?: Env;
  /** Overrides env/config-file values (tests, library users). */
  config?: Partial<AccountConfig>;
  /** Injected into supabase-js: tests point it anywhere, or observe every request. */
  fetch?: typeof fetch;
  keyring?: boolean;
  onWarning?: (message: string) => void;
}

/** Everything the account operations share: config, the supabase-js client, the token store. */
export interface Account {
  config: AccountConfig;
  env: Env;
  supabase: SupabaseClient;
  tokens: TokenStore;
  fetch: typeof fetch;
  /** True when the caller supplied `fetch`; telemetry then goes through it too. */
  fetchInjected: boolean;
}

export function openAccount(options: AccountOptions = {}): Account {
  const env = options.env ?? process.env;
  const base = options.config?.supabaseUrl && options.config.supabaseKey ? null : loadAccountConfig(env);
  const config: AccountConfig = {
    supabaseUrl: (options.config?.supabaseUrl ?? base!.supabaseUrl).replace(/\/+$/, ''),
    supabaseKey: options.config?.supabaseKey ?? base!.supabaseKey,
    configDir: options.config?.configDir ?? base?.configDir ?? configDir(env),
  };
  rememberCredential(config.supabaseKey);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const supabase = supabaseFor(config, fetchImpl);
  const tokens = new TokenStore({ configDir: config.configDir, env, keyring: options.keyring, onWarning: options.onWarning });
  return { config, env, supabase, tokens, fetch: fetchImpl, fetchInjected: options.fetch !== undefined };
}

export function supabaseFor(config: Pick<AccountConfig, 'supabaseUrl' | 'supabaseKey'>, fetchImpl: typeof fetch, accessToken?: string): SupabaseClient {
  return createClient(config.supabaseUrl, config.supabaseKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: fetchImpl, ...(accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : {}) },
    // godmode never opens realtime channels; on Node 20 supabase-js refuses to start without a WebSocket
    // class, so it gets one that says so if anything ever tries.
    realtime: { transport: NoRealtime as never },
  });
}

class NoRealtime {
  constructor() {
    throw new Error('@godmode/auth does not use Supabase realtime.');
  }
}

export interface FunctionReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * `functions.invoke` that returns non-2xx answers as data (the device flow's errors are 400s by
 * design) and turns only transport failures into AuthServiceError.
 */
export async function invoke(
  account: Account,
  name: 'cli-auth' | 'mcp-actions',
  body: Record<string, unknown>,
  options: { token?: string; timeout?: number; signal?: AbortSignal } = {},
): Promise<FunctionReply> {
  const { data, error } = await account.supabase.functions.invoke(name, {
    body,
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
    ...(options.timeout ? { timeout: options.timeout } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!error) return { status: 200, body: (data ?? {}) as Record<string, unknown> };
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    let parsed: Record<string, unknown> = {};
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch {
      // not JSON: the status says enough
    }
    return { status: response.status, body: parsed };
  }
  throw new AuthServiceError({
    message: `Could not reach the godmode account service at ${account.config.supabaseUrl} (${name}): ${(error as Error).message}`,
    hint: 'Check your network and GODMODE_SUPABASE_URL.',
    cause: error,
  });
}

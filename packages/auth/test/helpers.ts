import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAccount, type Account } from '../src/index.js';
import type { SupabaseStandIn } from '../src/stand-in/server.js';

/** A fresh config dir and an account pointed at the stand-in, keyring off (this box has none anyway). */
export async function accountFor(standIn: SupabaseStandIn, extraEnv: Record<string, string> = {}): Promise<{ account: Account; dir: string; env: Record<string, string>; warnings: string[]; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'godmode-auth-'));
  const env = { GODMODE_CONFIG_DIR: join(dir, 'config'), GODMODE_SUPABASE_URL: standIn.url, GODMODE_SUPABASE_KEY: standIn.anonKey, CLAUDE_CONFIG_DIR: join(dir, 'claude'), GODMODE_KEYRING: '0', ...extraEnv };
  const warnings: string[] = [];
  const account = openAccount({ env, onWarning: (m) => warnings.push(m) });
  return { account, dir, env, warnings, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

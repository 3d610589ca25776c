import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * One redacted `command` event per command run, sent with a short bound and never failing the command.
 * The account package (and supabase-js) is loaded only when an account backend is configured, so a
 * command on a machine without one pays nothing for telemetry.
 */
export async function recordCommand(command: string, outcome: { exitCode: number; durationMs: number; flags: string[] }): Promise<void> {
  const env = process.env;
  if (env.GODMODE_TELEMETRY === '0' || env.DO_NOT_TRACK === '1') return;
  const dir = env.GODMODE_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'godmode');
  if (!env.GODMODE_SUPABASE_URL && !existsSync(join(dir, 'config.json'))) return;
  try {
    const { openAccount, Telemetry } = await import('@godmode/auth');
    const telemetry = new Telemetry(openAccount({ onWarning: () => {} }));
    telemetry.track('command', { command, ...outcome });
    await telemetry.flush();
  } catch {
    // Telemetry never fails a command: no backend configured, unreachable, or anything else.
  }
}

import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { redactCredentials } from '../redact-credentials.js';

export interface BugReportOptions {
  /** The command line as typed (`process.argv.slice(2)`); redacted before it is written. */
  argv: string[];
  /** godmode's version. */
  version: string;
  /** Where reports go; default `<state>/bugs` (`$GODMODE_STATE_DIR`, else `$XDG_STATE_HOME/godmode`, else `~/.local/state/godmode`). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

export interface BugReport {
  /** The report file (mode 0600), or null when it could not be written (then `details` is all there is). */
  file: string | null;
  /** The error's message, credentials hidden: safe to print. */
  message: string;
  /** Stack, command, versions — credentials hidden. Printed only on request (DEBUG). */
  details: string;
}

/** godmode's per-user state folder (the same rule as @godmode/run-store's `stateDir`). */
function stateDir(env: NodeJS.ProcessEnv): string {
  if (env.GODMODE_STATE_DIR) return env.GODMODE_STATE_DIR;
  if (env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/')) return join(env.XDG_STATE_HOME, 'godmode');
  return join(homedir(), '.local', 'state', 'godmode');
}

/**
 * An error godmode did not expect (a bug: exit 70) is written down for the user to report, instead of a stack
 * trace on their terminal: one file per bug with the message, the stack, the command line and the versions —
 * every credential redacted first (a URL's password, a key, the account token), mode 0600.
 */
export async function writeBugReport(error: unknown, options: BugReportOptions): Promise<BugReport> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  const e = error instanceof Error ? error : new Error(String(error));
  const message = redactCredentials(e.message);
  const details = [
    `godmode ${options.version} on node ${process.version} ${process.platform}-${process.arch}`,
    `at ${now.toISOString()}, pid ${process.pid}`,
    `command: godmode ${redactCredentials(options.argv.join(' '))}`,
    '',
    redactCredentials(e.stack ?? `${e.name}: ${e.message}`),
    ...(e.cause !== undefined ? ['', `caused by: ${redactCredentials(e.cause instanceof Error ? (e.cause.stack ?? e.cause.message) : String(e.cause))}`] : []),
    '',
  ].join('\n');
  const file = join(options.dir ?? join(stateDir(env), 'bugs'), `${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}.txt`);
  try {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, details, { mode: 0o600 });
    return { file, message, details };
  } catch {
    return { file: null, message, details };
  }
}

/** What a user sees of a bug on stderr: the message, that it is a bug, where the details are; the stack only with `debug`. */
export function bugNotice(report: BugReport, options: { debug: boolean }): string {
  const where = report.file ? `The details (stack trace, command, versions) are in ${report.file}; please attach that file when you report it.` : 'The details could not be written to a file; they follow.';
  return [`This is a bug in godmode: ${report.message}`, where, ...(options.debug || report.file === null ? [report.details] : [])].join('\n');
}

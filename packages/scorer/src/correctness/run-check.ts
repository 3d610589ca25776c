import { execa } from 'execa';

export interface CheckRun {
  command: string;
  cwd: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr interleaved as the command wrote them. */
  output: string;
}

/** Kept in memory per check; a test suite that prints more than this is cut from the front. */
const MAX_OUTPUT = 32 * 1024 * 1024;

/**
 * Runs a plan's check (test, lint, typecheck) through the shell in its own process group, so that on
 * timeout the whole tree of runners and workers it started is killed, not just the shell.
 */
export async function runCheck(input: { command: string; cwd: string; timeoutMs: number; env?: Record<string, string> }): Promise<CheckRun> {
  const started = performance.now();
  const child = execa(input.command, {
    shell: true,
    cwd: input.cwd,
    all: true,
    reject: false,
    detached: true,
    stdin: 'ignore',
    maxBuffer: MAX_OUTPUT,
    env: { CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...input.env },
  });
  let timedOut = false;
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let hardKill: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup('SIGTERM');
    hardKill = setTimeout(() => killGroup('SIGKILL'), 2_000);
  }, input.timeoutMs);
  try {
    const result = await child;
    return {
      command: input.command,
      cwd: input.cwd,
      exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
      signal: result.signal ?? null,
      timedOut,
      durationMs: Math.round(performance.now() - started),
      output: typeof result.all === 'string' ? result.all : '',
    };
  } finally {
    clearTimeout(timer);
    if (hardKill) clearTimeout(hardKill);
    // Whatever the shell left behind in its group goes with it.
    killGroup('SIGKILL');
  }
}

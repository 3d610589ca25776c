import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import type { CheckEvidence } from '@godmode/protocol';
import { parseTestCounts } from './parse-test-counts.js';

const keepBytes = 256 * 1024;
const tailChars = 4_000;

/**
 * The environment variable that marks a check process (and everything it starts) as a run's, beside the run's
 * own mark (`GODMODE_RUN_DIR`): `<kind>:<label>:<conductor pid>:<ms>`, where kind says what it is (`check`,
 * `setup`, `test`, …). A conductor that takes a run over finds a dead conductor's checks by it and ends them.
 */
export const checkMarkVar = 'GODMODE_CHECK_MARK';

const ambient = new AsyncLocalStorage<Record<string, string>>();

/**
 * Runs `fn` so that every check it starts — also those started deep inside `reconcile` — carries `env` (the
 * marks above). Nested calls add to the outer environment.
 */
export function withCheckEnv<T>(env: Record<string, string>, fn: () => T): T {
  return ambient.run({ ...ambient.getStore(), ...env }, fn);
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a stream's check command in its work tree, in its own process group so that a timeout kills
 * everything it started (a test runner's workers included), and so does its end: nothing it spawned
 * outlives it. Never throws: a command that cannot start is a failed check with exit code null. It carries
 * the environment of the enclosing `withCheckEnv` (a run's marks), then `options.env`.
 */
export async function runCheck(options: { command: string; cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<CheckEvidence> {
  const started = performance.now();
  let out = '';
  const append = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > keepBytes * 2) out = out.slice(-keepBytes);
  };
  const result = await new Promise<{ exitCode: number | null; timedOut: boolean; error?: string }>((resolve) => {
    let child;
    try {
      child = spawn(options.command, {
        cwd: options.cwd,
        shell: true,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...ambient.getStore(), ...options.env },
      });
    } catch (error) {
      resolve({ exitCode: null, timedOut: false, error: String((error as Error).message ?? error) });
      return;
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, timedOut, error: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL');
      resolve({ exitCode: timedOut ? null : code, timedOut });
    });
  });
  if (result.error) append(Buffer.from(`\n[godmode] the check could not run: ${result.error}\n`));
  if (result.timedOut) append(Buffer.from(`\n[godmode] the check timed out after ${options.timeoutMs} ms; its process group was killed\n`));
  const counts = parseTestCounts(out);
  return {
    command: options.command,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    passed: counts.passed,
    failed: counts.failed,
    durationMs: Math.round(performance.now() - started),
    outputTail: out.slice(-tailChars),
  };
}

/** A check passes when it exited 0 in time and its runner reported no failures. */
export function checkPassed(check: CheckEvidence): boolean {
  return check.exitCode === 0 && !check.timedOut && (check.failed ?? 0) === 0;
}

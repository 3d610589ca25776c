import { closeSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';
import type { Launch } from '../adapters/adapter.js';
import type { WorkerFailure } from '../events.js';

export type Started = { ok: true; child: ResultPromise; pid: number } | { ok: false; failure: WorkerFailure };

/**
 * Starts a worker leading its own group and session, writing its own log files (it keeps writing if this
 * process dies). A worker that cannot start at all is a typed failure, never a raw ENOENT thrown at the caller.
 */
export async function startProcess(launch: Launch, options: { cwd: string; env: Record<string, string>; logs: { stdout: string; stderr: string }; installHint?: string }): Promise<Started> {
  const out = openSync(options.logs.stdout, 'a');
  const err = openSync(options.logs.stderr, 'a');
  let child: ResultPromise;
  try {
    const execaOptions: Options = {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'ignore',
      stdout: out as unknown as 1,
      stderr: err as unknown as 2,
    };
    child = execa(launch.file, launch.args, execaOptions) as unknown as ResultPromise;
  } catch (error) {
    return { ok: false, failure: startFailure(launch.file, (error as NodeJS.ErrnoException).code, String((error as Error).message), options.installHint) };
  } finally {
    closeSync(out);
    closeSync(err);
  }
  if (child.pid !== undefined) return { ok: true, child, pid: child.pid };
  const result = (await child) as unknown as { code?: string; message?: string; originalMessage?: string };
  return { ok: false, failure: startFailure(launch.file, result.code, result.originalMessage ?? result.message ?? 'no pid', options.installHint) };
}

/** The failure of a start, as a sentence that says what to do. */
export function startFailure(file: string, code: string | undefined, detail: string, installHint?: string): WorkerFailure {
  const name = basename(file);
  const where = file.includes('/') ? `at ${file}` : 'on PATH';
  if (code === 'ENOENT') return { code: 'not-found', message: `${name}: not found ${where} — ${installHint ?? 'install it, or fix the worker command in the plan'}`, retryable: false };
  if (code === 'EACCES') return { code: 'not-executable', message: `${name}: not executable ${where} — make it executable (chmod +x) or point the plan at the right file`, retryable: false };
  return { code: 'spawn-failed', message: `${name}: could not start (${code ?? 'error'}: ${detail.slice(0, 200)})`, retryable: false };
}

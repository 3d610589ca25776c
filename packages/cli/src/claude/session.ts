import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { claudeArgs, type ClaudeTurnOptions } from './claude-args.js';
import { onCleanup } from './cleanup.js';
import { ClaudeRunError } from './errors/claude-run-error.js';
import { ClaudeVersionError } from './errors/claude-version-error.js';
import { FailureWatch } from './failure.js';
import { isInit, isResult, parseClaudeLine, type ClaudeEvent, type ClaudeInitEvent, type ClaudeResultEvent } from './stream-event.js';
import { claudeVersion, compareVersions, TESTED_CLAUDE_VERSION, unknownOption } from './version.js';

export interface ClaudeTurnRequest extends ClaudeTurnOptions {
  binary: string;
  cwd: string;
  /** The environment to run Claude Code in (default `process.env`); `CLAUDECODE` is always removed. */
  env?: NodeJS.ProcessEnv;
  /** Aborting interrupts the turn: SIGINT to Claude Code's process group, then SIGTERM and SIGKILL if it lingers. */
  signal?: AbortSignal;
  /** Every stdout event, in order, with its raw line (for `--json` pass-through). */
  onEvent?: (event: ClaudeEvent, line: string) => void;
  /** How long Claude Code may live after its `result` before the watchdog stops it (default 3 s). */
  resultGraceMs?: number;
}

export interface ClaudeTurnOutcome {
  sessionId: string | undefined;
  init: ClaudeInitEvent | undefined;
  result: ClaudeResultEvent | undefined;
  exitCode: number | undefined;
  interrupted: boolean;
  /** Claude Code did not exit by itself after its result and was stopped (a known hang), not a failure. */
  exitedAfterResult: boolean;
}

const KILL_GRACE_MS = 2_000;

/**
 * Runs one headless Claude Code turn: stdin closed (or fed the prompt, then closed), events parsed
 * line by line as they arrive, in its own process group so an interrupt reaches its tools too.
 * Throws the typed failures a user must act on (not logged in, usage limit, version too old, no
 * result at all); a result with `is_error` for any other reason is returned for the caller to show.
 */
export async function runClaudeTurn(request: ClaudeTurnRequest): Promise<ClaudeTurnOutcome> {
  const { args, stdinPrompt } = claudeArgs(request);
  const env = { ...(request.env ?? process.env) };
  // Set inside a Claude Code session; a nested Claude Code would refuse or behave as a sub-agent.
  delete env.CLAUDECODE;
  const child = execa(request.binary, args, {
    cwd: request.cwd,
    env,
    extendEnv: false,
    ...(stdinPrompt === undefined ? { stdin: 'ignore' as const } : { input: stdinPrompt }),
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    detached: true,
    reject: false,
    cleanup: false,
  });

  const outcome: ClaudeTurnOutcome = { sessionId: undefined, init: undefined, result: undefined, exitCode: undefined, interrupted: false, exitedAfterResult: false };
  let stopReason: Error | undefined;
  let exited = false;
  const timers: NodeJS.Timeout[] = [];
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  /** SIGINT/SIGTERM first, SIGKILL after a grace: Claude Code gets a chance to save its session. */
  const stop = (first: NodeJS.Signals): void => {
    signalGroup(first);
    timers.push(setTimeout(() => signalGroup('SIGTERM'), KILL_GRACE_MS));
    timers.push(setTimeout(() => signalGroup('SIGKILL'), 2 * KILL_GRACE_MS));
  };
  const unregister = onCleanup(() => signalGroup('SIGKILL'));
  const onAbort = (): void => {
    outcome.interrupted = true;
    stop('SIGINT');
  };
  if (request.signal?.aborted) onAbort();
  request.signal?.addEventListener('abort', onAbort, { once: true });

  const watch = new FailureWatch();
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  lines.on('line', (line) => {
    const event = parseClaudeLine(line);
    if (!event) return;
    if (isInit(event)) {
      outcome.init = event;
      outcome.sessionId = event.session_id;
    }
    request.onEvent?.(event, line);
    const fatal = watch.observe(event);
    if (fatal && !stopReason) {
      stopReason = fatal;
      stop('SIGTERM');
    }
    if (isResult(event)) {
      outcome.result = event;
      outcome.sessionId = event.session_id;
      timers.push(
        setTimeout(() => {
          outcome.exitedAfterResult = true;
          stop('SIGTERM');
        }, request.resultGraceMs ?? 3_000),
      );
    }
  });
  const linesDone = new Promise<void>((resolve) => lines.once('close', resolve));

  try {
    const finished = await child;
    exited = true;
    await linesDone;
    outcome.exitCode = finished.exitCode;
    const stderr = String(finished.stderr ?? '');
    if (stopReason) throw stopReason;
    if (outcome.result) {
      const typed = watch.fromResult(outcome.result);
      if (typed) throw typed;
      return outcome;
    }
    if (outcome.interrupted) return outcome;
    const option = unknownOption(stderr);
    if (option) {
      const installed = await claudeVersion(request.binary, env);
      throw new ClaudeVersionError({
        flag: option,
        ...(installed ? { installed } : {}),
        ...(installed === undefined || compareVersions(installed, TESTED_CLAUDE_VERSION) < 0 ? { required: TESTED_CLAUDE_VERSION } : {}),
      });
    }
    if (finished.failed && finished.exitCode === undefined && !finished.signal) {
      throw new ClaudeRunError({ message: `Claude Code could not be started: ${finished.shortMessage ?? finished.message}`, stderr });
    }
    throw new ClaudeRunError({
      message: `Claude Code exited ${finished.signal ? `on ${finished.signal}` : `with code ${String(finished.exitCode)}`} without a result.`,
      ...(finished.exitCode !== undefined ? { exitCode: finished.exitCode } : {}),
      stderr,
    });
  } finally {
    // Whatever Claude Code's tools left running in its group (a backgrounded command) goes with it.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Nothing left.
      }
    }
    exited = true;
    for (const timer of timers) clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
    unregister();
  }
}

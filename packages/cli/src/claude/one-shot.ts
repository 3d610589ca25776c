import { terminalText } from '@godmode/protocol';
import { openAccountSession } from './account-session.js';
import { resolveClaudeBinary } from './binary.js';
import { runCleanups } from './cleanup.js';
import type { CommonClaudeOptions } from './common-options.js';
import { runClaudeTurn, type ClaudeTurnOutcome } from './session.js';
import { describeApiRetry } from '../render/run-event.js';
import { describeDenials, permissionDenials, type PermissionDenial } from './permission-denials.js';
import { TextRenderer, type TextSink } from './text-renderer.js';

/** `text`: the answer streamed as it arrives; `json`: the final result event; `ndjson`: every stream-json event. */
export type OneShotOutput = 'text' | 'json' | 'ndjson';

export interface OneShotRequest {
  prompt: string;
  options: CommonClaudeOptions;
  cwd: string;
  output: OneShotOutput;
  env?: NodeJS.ProcessEnv;
  stdout?: TextSink;
  stderr?: TextSink;
  dim?: (text: string) => string;
  resultGraceMs?: number;
}

export interface OneShotResult {
  outcome: ClaudeTurnOutcome;
  /** 0 answered; 1 Claude Code reported an error or was denied a tool call; 130 interrupted. */
  exitCode: 0 | 1 | 130;
  /** Claude Code's error text, or what it was denied, when `exitCode` is 1. */
  error: string | undefined;
  /** Tool calls Claude Code refused to run (they did not happen, whatever the answer claims). */
  denials: PermissionDenial[];
}

/**
 * One headless Claude Code run for `ask`, `run` and `skills run`: the account's MCP config for
 * its duration, Ctrl-C interrupting the turn (a second one leaves at once), output as asked.
 */
export async function runOneShot(request: OneShotRequest): Promise<OneShotResult> {
  const env = request.env ?? process.env;
  const stdout = request.stdout ?? process.stdout;
  const stderr = request.stderr ?? process.stderr;
  const binary = resolveClaudeBinary(env);
  const account = await openAccountSession(env, request.output === 'ndjson' ? undefined : (line) => stderr.write(line + '\n'));
  const interrupt = new AbortController();
  const onSigint = (): void => {
    if (!interrupt.signal.aborted) return interrupt.abort();
    runCleanups();
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const renderer = new TextRenderer(stdout, stderr, request.dim);
  const dim = request.dim ?? ((text: string) => text);
  try {
    const outcome = await runClaudeTurn({
      ...request.options,
      prompt: request.prompt,
      binary,
      cwd: request.cwd,
      env,
      signal: interrupt.signal,
      partialMessages: request.output === 'text',
      ...(account.mcpConfigFile ? { mcpConfigFile: account.mcpConfigFile } : {}),
      ...(request.resultGraceMs !== undefined ? { resultGraceMs: request.resultGraceMs } : {}),
      onEvent: (event, line) => {
        // Minutes of silence while Claude Code retries an overloaded API look like a hang: say what is going on.
        if (request.output !== 'ndjson' && event.type === 'system' && event.subtype === 'api_retry') {
          stderr.write(dim(`  ⟳ Claude Code is ${describeApiRetry(event)}`) + '\n');
        }
        if (request.output === 'ndjson') stdout.write(line + '\n');
        else if (request.output === 'text' && !(event.type === 'result')) renderer.render(event);
      },
    });
    if (request.output === 'text') renderer.finish();
    if (request.output === 'json' && outcome.result) stdout.write(JSON.stringify(outcome.result) + '\n');
    // An interrupted turn is an interrupt, whether Claude Code said nothing (2.1.100) or closed it with an error
    // result of its own (the native releases do); only a turn that completed anyway counts as answered.
    const denials = permissionDenials(outcome.result);
    if (outcome.interrupted && (!outcome.result || outcome.result.is_error)) return { outcome, exitCode: 130, error: undefined, denials };
    if (outcome.result?.is_error) return { outcome, exitCode: 1, error: terminalText(outcome.result.result ?? `Claude Code ended with ${outcome.result.subtype}.`, { keepNewlines: true }), denials };
    // Denied calls did not run, whatever the answer says: the outcome is a failure.
    if (denials.length > 0) return { outcome, exitCode: 1, error: describeDenials(denials), denials };
    return { outcome, exitCode: 0, error: undefined, denials };
  } finally {
    process.off('SIGINT', onSigint);
    await account.dispose();
  }
}

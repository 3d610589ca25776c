import { openAccountSession } from './account-session.js';
import { resolveClaudeBinary } from './binary.js';
import { runCleanups } from './cleanup.js';
import type { CommonClaudeOptions } from './common-options.js';
import { runClaudeTurn, type ClaudeTurnOutcome } from './session.js';
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
  /** 0 answered; 1 Claude Code reported an error; 130 interrupted. */
  exitCode: 0 | 1 | 130;
  /** Claude Code's error text, when `exitCode` is 1. */
  error: string | undefined;
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
        if (request.output === 'ndjson') stdout.write(line + '\n');
        else if (request.output === 'text' && !(event.type === 'result')) renderer.render(event);
      },
    });
    if (request.output === 'text') renderer.finish();
    if (request.output === 'json' && outcome.result) stdout.write(JSON.stringify(outcome.result) + '\n');
    // An interrupted turn is an interrupt, whether Claude Code said nothing (2.1.100) or closed it with an error
    // result of its own (the native releases do); only a turn that completed anyway counts as answered.
    if (outcome.interrupted && (!outcome.result || outcome.result.is_error)) return { outcome, exitCode: 130, error: undefined };
    if (outcome.result?.is_error) return { outcome, exitCode: 1, error: outcome.result.result ?? `Claude Code ended with ${outcome.result.subtype}.` };
    return { outcome, exitCode: 0, error: undefined };
  } finally {
    process.off('SIGINT', onSigint);
    await account.dispose();
  }
}

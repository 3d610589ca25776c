import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { openAccountSession } from './account-session.js';
import { resolveClaudeBinary } from './binary.js';
import type { CommonClaudeOptions } from './common-options.js';
import { runClaudeTurn } from './session.js';
import { TextRenderer } from './text-renderer.js';

export interface ChatRequest {
  options: CommonClaudeOptions;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** NDJSON: every Claude Code event on stdout, no prompt or decoration. */
  json: boolean;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  errors?: NodeJS.WritableStream;
  dim?: (text: string) => string;
  /** Resume this session instead of starting a new one. */
  resume?: string;
}

export interface ChatOutcome {
  sessionId: string;
  turns: number;
  /** 0 left with /exit, Ctrl-D or two Ctrl-C. */
  exitCode: 0;
}

const EXIT_WORDS = new Set(['/exit', '/quit']);

/**
 * An interactive chat over headless Claude Code: each line is one `claude -p` turn in the same
 * session (`--session-id` first, then `--resume`), streamed as it arrives. Ctrl-C interrupts a
 * running turn; a second Ctrl-C (or one at the prompt, after a warning) leaves, as do /exit and Ctrl-D.
 */
export async function runChat(request: ChatRequest): Promise<ChatOutcome> {
  const env = request.env ?? process.env;
  const input = request.input ?? process.stdin;
  const output = request.output ?? process.stdout;
  const errors = request.errors ?? process.stderr;
  const dim = request.dim ?? ((text: string) => text);
  const binary = resolveClaudeBinary(env);
  const account = await openAccountSession(env, request.json ? undefined : (line) => errors.write(line + '\n'));

  let sessionId = request.resume ?? randomUUID();
  let sessionStarted = request.resume !== undefined;
  let turns = 0;
  const interactive = Boolean(input.isTTY) && !request.json;
  const rl = createInterface({ input, output, terminal: interactive, prompt: '› ' });
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let leaving = false;
  let turn: AbortController | undefined;
  let armed = false;

  const leave = (): void => {
    leaving = true;
    turn?.abort();
    wake?.();
  };
  const onInterrupt = (): void => {
    if (turn && !turn.signal.aborted) {
      turn.abort();
      if (!request.json) errors.write(dim('\n(interrupted — Ctrl-C again to leave)') + '\n');
      armed = true;
      return;
    }
    if (armed) return leave();
    armed = true;
    if (!request.json) errors.write(dim('\n(Ctrl-C again or /exit to leave)') + '\n');
    if (interactive) rl.prompt();
  };
  rl.on('line', (line) => {
    queue.push(line);
    wake?.();
  });
  rl.on('close', () => {
    closed = true;
    wake?.();
  });
  rl.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);

  const nextLine = async (): Promise<string | undefined> => {
    for (;;) {
      if (leaving) return undefined;
      const line = queue.shift();
      if (line !== undefined) return line;
      if (closed) return undefined;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  };

  if (!request.json) {
    errors.write(dim(`godmode chat over Claude Code · session ${sessionId} · /exit to leave, Ctrl-C interrupts a turn`) + '\n');
  }
  try {
    for (;;) {
      if (interactive) rl.prompt();
      const line = await nextLine();
      if (line === undefined) break;
      const text = line.trim();
      if (text === '') continue;
      if (EXIT_WORDS.has(text)) break;
      armed = false;
      turn = new AbortController();
      const renderer = new TextRenderer(output, errors, dim);
      const outcome = await runClaudeTurn({
        ...request.options,
        prompt: text,
        binary,
        cwd: request.cwd,
        env,
        signal: turn.signal,
        partialMessages: !request.json,
        ...(sessionStarted ? { resume: sessionId } : { sessionId }),
        ...(account.mcpConfigFile ? { mcpConfigFile: account.mcpConfigFile } : {}),
        onEvent: (event, raw) => {
          if (request.json) output.write(raw + '\n');
          else if (event.type !== 'result') renderer.render(event);
        },
      });
      turn = undefined;
      if (!request.json) renderer.finish();
      // Once Claude Code has written the session, later turns resume it (even after an interrupt).
      if (outcome.sessionId) {
        sessionId = outcome.sessionId;
        sessionStarted = true;
      }
      turns += 1;
      if (outcome.result?.is_error && !request.json) errors.write(`Claude Code: ${outcome.result.result ?? outcome.result.subtype}\n`);
      if (leaving) break;
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    rl.close();
    await account.dispose();
  }
  if (!request.json) errors.write(dim(`session ${sessionId} · ${turns} turn${turns === 1 ? '' : 's'} · resume with: godmode chat --resume ${sessionId}`) + '\n');
  return { sessionId, turns, exitCode: 0 };
}

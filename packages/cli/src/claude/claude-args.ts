/** What one Claude Code turn is asked to do; maps one to one onto `claude` flags. */
export interface ClaudeTurnOptions {
  prompt: string;
  model?: string;
  maxTurns?: number;
  maxBudgetUsd?: number;
  permissionMode?: string;
  allowedTools?: string[];
  /** A file with `{ mcpServers: … }`, passed with `--mcp-config`. */
  mcpConfigFile?: string;
  /** Start a new session with this id (a UUID). */
  sessionId?: string;
  /** Continue this session. */
  resume?: string;
  /** Ask for `stream_event` partial messages, so text can be shown as it arrives. */
  partialMessages?: boolean;
  extraArgs?: string[];
}

/** Above this, the prompt goes through stdin (then closed) rather than argv, which the kernel caps per argument. */
export const PROMPT_ARG_LIMIT = 100_000;

/** Builds `claude`'s argv: headless (`-p`), stream-json events on stdout, the options as flags. */
export function claudeArgs(options: ClaudeTurnOptions): { args: string[]; stdinPrompt: string | undefined } {
  const viaStdin = Buffer.byteLength(options.prompt) > PROMPT_ARG_LIMIT;
  const args = ['-p'];
  // A prompt starting with "-" would be read as a flag; "--" ends the options, so it must come last.
  const promptArgs = viaStdin ? [] : ['--', options.prompt];
  args.push('--output-format', 'stream-json', '--verbose');
  if (options.partialMessages) args.push('--include-partial-messages');
  if (options.model) args.push('--model', options.model);
  if (options.maxTurns !== undefined) args.push('--max-turns', String(options.maxTurns));
  if (options.maxBudgetUsd !== undefined) args.push('--max-budget-usd', String(options.maxBudgetUsd));
  if (options.permissionMode) args.push('--permission-mode', options.permissionMode);
  if (options.allowedTools?.length) args.push('--allowedTools', options.allowedTools.join(','));
  if (options.mcpConfigFile) args.push('--mcp-config', options.mcpConfigFile);
  if (options.resume) args.push('--resume', options.resume);
  else if (options.sessionId) args.push('--session-id', options.sessionId);
  if (options.extraArgs) args.push(...options.extraArgs);
  args.push(...promptArgs);
  return { args, stdinPrompt: viaStdin ? options.prompt : undefined };
}

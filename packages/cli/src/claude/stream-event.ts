/**
 * The stream-json events of Claude Code (`--output-format stream-json --verbose`) that godmode reads.
 * Typed loosely on purpose: Claude Code adds fields between versions, and `--json` passes every
 * event through untouched.
 */
export interface ClaudeEvent {
  type: string;
  subtype?: string;
  session_id?: string;
  [key: string]: unknown;
}

export interface ClaudeInitEvent extends ClaudeEvent {
  type: 'system';
  subtype: 'init';
  session_id: string;
  model: string;
  tools: string[];
  mcp_servers: Array<{ name: string; status: string }>;
  apiKeySource?: string;
  claude_code_version?: string;
}

export interface ClaudeResultEvent extends ClaudeEvent {
  type: 'result';
  subtype: string;
  is_error: boolean;
  result?: string;
  session_id: string;
  num_turns: number;
  total_cost_usd: number;
  duration_ms: number;
  usage?: Record<string, unknown>;
}

export interface ContentBlock {
  type: string;
  text?: string;
  name?: string;
  input?: Record<string, unknown>;
}

/** Parses one stdout line; `undefined` for anything that is not a JSON event (Claude Code prints none, but be safe). */
export function parseClaudeLine(line: string): ClaudeEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(trimmed) as unknown;
    return typeof value === 'object' && value !== null && typeof (value as ClaudeEvent).type === 'string' ? (value as ClaudeEvent) : undefined;
  } catch {
    return undefined;
  }
}

export function isInit(event: ClaudeEvent): event is ClaudeInitEvent {
  return event.type === 'system' && event.subtype === 'init';
}

export function isResult(event: ClaudeEvent): event is ClaudeResultEvent {
  return event.type === 'result';
}

/** The content blocks of an `assistant` event's message. */
export function assistantBlocks(event: ClaudeEvent): ContentBlock[] {
  if (event.type !== 'assistant') return [];
  const content = (event.message as { content?: unknown } | undefined)?.content;
  return Array.isArray(content) ? (content as ContentBlock[]) : [];
}

/** The text of a `stream_event` text delta (with `--include-partial-messages`), if it is one. */
export function textDelta(event: ClaudeEvent): string | undefined {
  if (event.type !== 'stream_event') return undefined;
  const inner = event.event as { type?: string; delta?: { type?: string; text?: string } } | undefined;
  return inner?.type === 'content_block_delta' && inner.delta?.type === 'text_delta' ? inner.delta.text : undefined;
}

/**
 * A scripted turn: what the stand-in answers to the next main-loop request of Claude Code.
 * Every turn may carry `delayMs`: the response is held that long before its first byte.
 */
export type Turn = TextTurn | BashTurn | ToolTurn | SilentTurn | ErrorTurn;

interface TurnBase {
  /** Hold the response this long before sending anything. */
  delayMs?: number;
}

/** Reply with text and end the turn (`stop_reason: end_turn`). */
export interface TextTurn extends TurnBase {
  text: string;
  /** Split the text into this many `text_delta` events (default: one per ~16 characters, at most 8). */
  chunks?: number;
  /** Pause between deltas, so a client can be seen streaming. */
  chunkDelayMs?: number;
}

/** Call Claude Code's Bash tool with this command (`stop_reason: tool_use`). */
export interface BashTurn extends TurnBase {
  bash: string;
  description?: string;
  /** Text said before the tool call, in its own content block. */
  text?: string;
}

/** Call any tool by name with this input (`stop_reason: tool_use`). */
export interface ToolTurn extends TurnBase {
  tool: { name: string; input: Record<string, unknown> };
  text?: string;
}

/**
 * Stay silent for `silentMs` before answering the same request with the following turn.
 * Consumes no request by itself: it delays whatever comes next.
 */
export interface SilentTurn {
  silentMs: number;
}

/** Answer with an HTTP error in the API's error shape. */
export interface ErrorTurn extends TurnBase {
  error: {
    status: number;
    /** The API's error type, e.g. `rate_limit_error`, `authentication_error`, `overloaded_error`. */
    type: string;
    message: string;
    /** Extra response headers, e.g. `retry-after` or `anthropic-ratelimit-unified-reset`. */
    headers?: Record<string, string>;
  };
  /**
   * How many consecutive requests get this error (default 1). Claude Code retries
   * some errors (429, 5xx) on its own; `repeat: Infinity` answers every retry the same way.
   */
  repeat?: number;
}

export function isSilent(turn: Turn): turn is SilentTurn {
  return 'silentMs' in turn;
}

export function isError(turn: Turn): turn is ErrorTurn {
  return 'error' in turn;
}

export function isBash(turn: Turn): turn is BashTurn {
  return 'bash' in turn;
}

export function isTool(turn: Turn): turn is ToolTurn {
  return 'tool' in turn;
}

/**
 * The answer a Claude subscription gets once its usage limit is reached: 429 with the unified
 * rate-limit headers. Claude Code (logged in with `auth: 'subscription'`) turns it into a
 * `rate_limit_event` (status rejected, resetsAt) and "You've hit your session limit · resets …".
 */
export function usageLimitTurn(resetsAt: Date, window: 'five_hour' | 'seven_day' = 'five_hour'): ErrorTurn {
  return {
    error: {
      status: 429,
      type: 'rate_limit_error',
      message: 'This request would exceed your account\'s rate limit. Please try again later.',
      headers: {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(Math.floor(resetsAt.getTime() / 1000)),
        'anthropic-ratelimit-unified-representative-claim': window,
        'x-should-retry': 'false',
      },
    },
    repeat: Infinity,
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUXILIARY_TEXT, isAuxiliaryRequest } from './auxiliary.js';
import { messageFor } from './message.js';
import { isError, isSilent, type ErrorTurn, type Turn } from './script.js';
import { streamMessage } from './sse.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: any;
  /** A side request (title, prefix check…) answered with canned text, not from the script. */
  auxiliary: boolean;
  /** Index in the script of the turn that answered it, for main-loop message requests. */
  turn?: number;
}

export interface ModelStandInOptions {
  script: Turn[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** What an exhausted script answers; default a short text that ends the turn. */
  exhaustedText?: string;
}

export interface ModelStandIn {
  /** Base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Main-loop `POST /v1/messages` requests only (no side requests, no token counts). */
  readonly messageRequests: RecordedRequest[];
  /** Appends turns to the script, e.g. between the turns of a chat. */
  enqueue(...turns: Turn[]): void;
  /** Turns not yet answered. */
  readonly remaining: number;
  close(): Promise<void>;
}

/**
 * Starts a local stand-in for Anthropic's Messages API on 127.0.0.1 that answers Claude Code's
 * agent-loop requests from `script`, one turn per request, and records everything it receives.
 */
export async function startModelStandIn(options: ModelStandInOptions): Promise<ModelStandIn> {
  const script = [...options.script];
  let cursor = 0;
  let errorRepeats = 0;
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();

  /** The next turn to answer with, after any silent turns, and how long to stay silent first. */
  const takeTurn = (): { turn: Turn | undefined; index: number; silentMs: number } => {
    let silentMs = 0;
    while (cursor < script.length && isSilent(script[cursor]!)) {
      silentMs += (script[cursor] as { silentMs: number }).silentMs;
      cursor += 1;
    }
    const index = cursor;
    const turn = script[cursor];
    if (turn === undefined) return { turn, index, silentMs };
    if (isError(turn)) {
      errorRepeats += 1;
      if (errorRepeats >= (turn.repeat ?? 1)) {
        errorRepeats = 0;
        cursor += 1;
      }
    } else {
      cursor += 1;
    }
    return { turn, index, silentMs };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    let body: any;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body, auxiliary: false };
    requests.push(record);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const signal = AbortSignal.any([gone.signal, closing.signal]);

    if (req.method === 'POST' && url.pathname === '/v1/messages/count_tokens') {
      return json(res, 200, { input_tokens: estimateTokens(raw) });
    }
    if (req.method === 'POST' && url.pathname === '/v1/messages') {
      if (body === undefined) return apiError(res, { status: 400, type: 'invalid_request_error', message: 'body is not JSON' });
      const model = typeof body.model === 'string' ? body.model : 'claude-stand-in';
      if (isAuxiliaryRequest(body)) {
        record.auxiliary = true;
        return answer(res, messageFor({ text: AUXILIARY_TEXT }, model, estimateTokens(raw)), body.stream === true, {});
      }
      const { turn, index, silentMs } = takeTurn();
      record.turn = turn === undefined ? undefined : index;
      const hold = silentMs + (turn !== undefined && 'delayMs' in turn ? (turn.delayMs ?? 0) : 0);
      if (hold > 0) {
        const held = await sleep(hold, true, { signal }).catch(() => false);
        if (!held) return void res.destroy();
      }
      if (turn === undefined) {
        const text = options.exhaustedText ?? 'stand-in: the script has no more turns';
        return answer(res, messageFor({ text }, model, estimateTokens(raw)), body.stream === true, { signal });
      }
      if (isError(turn)) return apiError(res, turn.error);
      const chunking = 'chunks' in turn || 'chunkDelayMs' in turn ? (turn as { chunks?: number; chunkDelayMs?: number }) : {};
      return answer(res, messageFor(turn, model, estimateTokens(raw)), body.stream === true, { ...pick(chunking), signal });
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return json(res, 200, {
        data: [{ type: 'model', id: 'claude-sonnet-4-6', display_name: 'Stand-in', created_at: '2025-01-01T00:00:00Z' }],
        has_more: false,
        first_id: 'claude-sonnet-4-6',
        last_id: 'claude-sonnet-4-6',
      });
    }
    // Claude Code probes the base URL (HEAD /) for connectivity before its first request.
    if (url.pathname === '/') return json(res, 200, {});
    return apiError(res, { status: 404, type: 'not_found_error', message: `stand-in does not serve ${req.method} ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) apiError(res, { status: 500, type: 'api_error', message: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get messageRequests() {
      return requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages' && !r.auxiliary);
    },
    enqueue: (...turns: Turn[]) => void script.push(...turns),
    get remaining() {
      return script.length - cursor;
    },
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function pick(turn: { chunks?: number; chunkDelayMs?: number }): { chunks?: number; chunkDelayMs?: number } {
  const out: { chunks?: number; chunkDelayMs?: number } = {};
  if (turn.chunks !== undefined) out.chunks = turn.chunks;
  if (turn.chunkDelayMs !== undefined) out.chunkDelayMs = turn.chunkDelayMs;
  return out;
}

async function answer(
  res: ServerResponse,
  message: ReturnType<typeof messageFor>,
  stream: boolean,
  options: { chunks?: number; chunkDelayMs?: number; signal?: AbortSignal },
): Promise<void> {
  if (stream) return streamMessage(res, message, options);
  json(res, 200, message);
}

function apiError(res: ServerResponse, error: ErrorTurn['error']): void {
  res.writeHead(error.status, { 'content-type': 'application/json', ...(error.headers ?? {}) });
  res.end(JSON.stringify({ type: 'error', error: { type: error.type, message: error.message } }));
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Roughly four characters a token: enough for Claude Code's cost and context bookkeeping. */
function estimateTokens(raw: string): number {
  return Math.max(1, Math.ceil(raw.length / 4));
}

import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StandInMessage } from './message.js';

export interface StreamOptions {
  /** Number of text deltas per text block; default one per ~16 characters, at most 8. */
  chunks?: number;
  chunkDelayMs?: number;
  /** Aborted when the client goes away, so a held stream does not write into a closed socket. */
  signal?: AbortSignal;
}

/**
 * Writes a message as the Messages API's server-sent events, in the order the real API uses:
 * message_start, then per block content_block_start / *_delta / content_block_stop,
 * then message_delta (stop_reason, final usage) and message_stop.
 */
export async function streamMessage(res: ServerResponse, message: StandInMessage, options: StreamOptions = {}): Promise<void> {
  const send = (type: string, data: Record<string, unknown>): void => {
    if (res.writableEnded || res.destroyed) return;
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': `req_${message.id}`,
  });
  send('message_start', {
    message: { ...message, content: [], stop_reason: null, usage: { input_tokens: message.usage.input_tokens, output_tokens: 1 } },
  });
  for (const [index, block] of message.content.entries()) {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      const pieces = split(block.text, options.chunks ?? Math.min(8, Math.max(1, Math.ceil(block.text.length / 16))));
      for (const [i, piece] of pieces.entries()) {
        if (i > 0 && options.chunkDelayMs) await sleep(options.chunkDelayMs, undefined, { signal: options.signal }).catch(() => {});
        send('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      }
    } else {
      send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      // The real API streams tool input as partial JSON; two pieces exercise the client's joining.
      for (const piece of split(JSON.stringify(block.input), 2)) {
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
    }
    send('content_block_stop', { index });
  }
  send('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  send('message_stop', {});
  res.end();
}

function split(text: string, parts: number): string[] {
  if (text.length === 0 || parts <= 1) return [text];
  const size = Math.ceil(text.length / parts);
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

import { afterEach, describe, expect, it } from 'vitest';
import { startModelStandIn, type ModelStandIn } from './server.js';
import type { Turn } from './script.js';

let standIn: ModelStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const agentBody = (stream: boolean) => ({
  model: 'claude-sonnet-4-6',
  max_tokens: 1000,
  stream,
  system: [{ type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." }],
  tools: [{ name: 'Bash', input_schema: { type: 'object' } }],
  messages: [{ role: 'user', content: 'hello' }],
});

async function start(script: Turn[]): Promise<ModelStandIn> {
  standIn = await startModelStandIn({ script });
  return standIn;
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${standIn!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function parseSse(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null');
      return { event, data };
    });
}

describe('model stand-in', () => {
  it('streams a text turn as the Messages API event sequence', async () => {
    await start([{ text: 'the scripted answer, long enough to take several deltas', chunks: 3 }]);
    const response = await post('/v1/messages?beta=true', agentBody(true));
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.every((e) => e.data.type === e.event)).toBe(true);
    const text = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta.text).join('');
    expect(text).toBe('the scripted answer, long enough to take several deltas');
    expect(events[6]!.data.delta.stop_reason).toBe('end_turn');
    expect(events[6]!.data.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams a Bash turn as a tool_use block with input_json_delta pieces', async () => {
    await start([{ bash: 'echo hi > a.txt', text: 'Writing it.' }]);
    const events = parseSse(await (await post('/v1/messages', agentBody(true))).text());
    const toolStart = events.find((e) => e.event === 'content_block_start' && e.data.content_block.type === 'tool_use');
    expect(toolStart?.data.content_block.name).toBe('Bash');
    const json = events
      .filter((e) => e.event === 'content_block_delta' && e.data.delta.type === 'input_json_delta')
      .map((e) => e.data.delta.partial_json)
      .join('');
    expect(JSON.parse(json)).toMatchObject({ command: 'echo hi > a.txt' });
    expect(events.find((e) => e.event === 'message_delta')?.data.delta.stop_reason).toBe('tool_use');
    expect(events.filter((e) => e.event === 'content_block_start')).toHaveLength(2);
  });

  it('answers non-streaming requests with a whole message', async () => {
    await start([{ tool: { name: 'Write', input: { file_path: 'x', content: 'y' } } }]);
    const message: any = await (await post('/v1/messages', agentBody(false))).json();
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'tool_use' });
    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'Write', input: { file_path: 'x', content: 'y' } });
  });

  it('answers side requests with canned text without consuming the script', async () => {
    const s = await start([{ text: 'main answer' }]);
    const side: any = await (
      await post('/v1/messages', { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'title?' }] })
    ).json();
    expect(side.content[0].text).toBe('stand-in');
    const main: any = await (await post('/v1/messages', agentBody(false))).json();
    expect(main.content[0].text).toBe('main answer');
    expect(s.requests.map((r) => r.auxiliary)).toEqual([true, false]);
    expect(s.messageRequests).toHaveLength(1);
    expect(s.messageRequests[0]!.turn).toBe(0);
  });

  it('replays API errors with status, headers and repeat', async () => {
    const s = await start([
      { error: { status: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '7' } }, repeat: 2 },
      { text: 'after the limit' },
    ]);
    for (let i = 0; i < 2; i += 1) {
      const response = await post('/v1/messages', agentBody(false));
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
    }
    const ok: any = await (await post('/v1/messages', agentBody(false))).json();
    expect(ok.content[0].text).toBe('after the limit');
    expect(s.remaining).toBe(0);
  });

  it('holds the response for a silent turn before answering with the next one', async () => {
    await start([{ silentMs: 400 }, { text: 'late' }]);
    const started = Date.now();
    const message: any = await (await post('/v1/messages', agentBody(false))).json();
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(message.content[0].text).toBe('late');
  });

  it('counts tokens, serves the model list and the base-URL probe, and records requests', async () => {
    const s = await start([]);
    const counted: any = await (await post('/v1/messages/count_tokens', agentBody(false))).json();
    expect(counted.input_tokens).toBeGreaterThan(10);
    const models: any = await (await fetch(`${s.url}/v1/models`)).json();
    expect(models.data[0].type).toBe('model');
    expect((await fetch(s.url, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${s.url}/api/oauth/profile`)).status).toBe(404);
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/messages/count_tokens',
      'GET /v1/models',
      'HEAD /',
      'GET /api/oauth/profile',
    ]);
    expect(s.requests[0]!.body.messages[0].content).toBe('hello');
  });

  it('ends the turn with a short text when the script runs out, and enqueue extends it', async () => {
    const s = await start([]);
    const first: any = await (await post('/v1/messages', agentBody(false))).json();
    expect(first.content[0].text).toMatch(/no more turns/);
    s.enqueue({ text: 'added later' });
    const second: any = await (await post('/v1/messages', agentBody(false))).json();
    expect(second.content[0].text).toBe('added later');
  });
});

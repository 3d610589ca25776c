import { describe, expect, it } from 'vitest';
import { claudeAdapter, claudeArgs, classifyClaudeFailure, parseClaudeLine } from './claude-adapter.js';
import { FailureWatch } from '../worker/failure-watch.js';

describe('claude adapter', () => {
  it('builds a headless stream-json command line with the plan options', () => {
    const args = claudeArgs({ prompt: 'do it', model: 'sonnet', allowedTools: ['Bash', 'Edit'], permissionMode: 'acceptEdits', maxTurns: 3, maxBudgetUsd: 1.5, bare: true });
    expect(args.slice(0, 5)).toEqual(['-p', 'do it', '--output-format', 'stream-json', '--verbose']);
    expect(args).toEqual(expect.arrayContaining(['--bare', '--model', 'sonnet', '--allowedTools', 'Bash,Edit', '--permission-mode', 'acceptEdits', '--max-turns', '3', '--max-budget-usd', '1.5']));
  });

  it('removes CLAUDECODE from the worker environment', () => {
    const launch = claudeAdapter.launch({ adapter: 'claude', options: { prompt: 'x' } }, { workdir: '/tmp', env: { CLAUDECODE: '1', KEEP: 'y' } });
    expect(launch.env.CLAUDECODE).toBeUndefined();
    expect(launch.env.KEEP).toBe('y');
  });

  it('parses init, tool use, results and the not-logged-in failure as Claude Code 2.1 prints them', () => {
    expect(parseClaudeLine('{"type":"system","subtype":"init","session_id":"s1","tools":["Bash"],"mcp_servers":[{"name":"godmode","status":"connected"}]}')).toEqual([
      { type: 'activity', kind: 'init', detail: { sessionId: 's1', tools: ['Bash'], mcpServers: [{ name: 'godmode', status: 'connected' }], model: null } },
    ]);
    expect(parseClaudeLine('{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}}]}}')).toEqual([
      { type: 'activity', kind: 'tool_use', detail: { name: 'Bash', id: 't1' } },
    ]);
    const result = parseClaudeLine('{"type":"result","subtype":"success","is_error":false,"num_turns":2,"result":"ok","session_id":"s1","total_cost_usd":0.01,"usage":{"output_tokens":5}}');
    expect(result).toEqual([{ type: 'result', isError: false, subtype: 'success', sessionId: 's1', numTurns: 2, costUsd: 0.01, usage: { output_tokens: 5 }, text: 'ok' }]);
    const failed = parseClaudeLine('{"type":"result","subtype":"success","is_error":true,"result":"Not logged in · Please run /login","session_id":"s"}');
    expect(failed[0]).toMatchObject({ type: 'error', code: 'not-logged-in' });
    expect(parseClaudeLine('not json')).toEqual([]);
  });

  it('turns a rejected rate limit into a pause of the stall clock until its reset', () => {
    const [e] = parseClaudeLine('{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1800000000}}');
    expect(e).toEqual({ type: 'rate-limited', resetsAt: new Date(1800000000 * 1000).toISOString() });
  });

  it('passes --resume <session> for a resumed attempt, in place of any session id of the plan', () => {
    const launch = claudeAdapter.launch({ adapter: 'claude', options: { prompt: 'go on', sessionId: 'plan-session' } }, { workdir: '/tmp', env: {}, resumeSessionId: 'abc-123' });
    expect(launch.args).toEqual(expect.arrayContaining(['--resume', 'abc-123']));
    expect(launch.args).not.toContain('--session-id');
    expect(claudeAdapter.launch({ adapter: 'claude', options: { prompt: 'x' } }, { workdir: '/tmp', env: {} }).args).not.toContain('--resume');
  });

  it('classifies Claude Code failures into a typed reason: what can be retried, and when', () => {
    const table: Array<[string | null, string, string | null, boolean | null]> = [
      ['authentication_failed', '', 'not-logged-in', false],
      [null, 'Not logged in · Please run /login', 'not-logged-in', false],
      [null, 'Invalid API key · Fix external API key', 'not-logged-in', false],
      [null, 'OAuth token has expired. Please obtain a new token or refresh your existing token.', 'not-logged-in', false],
      ['billing_error', 'Credit balance is too low', 'billing', false],
      ['rate_limit', "You've hit your session limit · resets 3pm", 'usage-limit', true],
      [null, "You've hit your session limit · resets 3pm (Europe/Berlin)", 'usage-limit', true],
      [null, 'Claude AI usage limit reached|1800000000', 'usage-limit', true],
      [null, 'API Error: 429 {"type":"error"}', 'usage-limit', true],
      ['server_error', 'API Error: 500 Internal server error', 'api-error', true],
      [null, 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'api-error', true],
      [null, 'API Error: Request timed out.', 'api-error', true],
      ['unknown', 'something odd', 'api-error', true],
      [null, 'Error: the tests failed', null, null],
      [null, 'I could not finish the task', null, null],
    ];
    for (const [kind, text, code, retryable] of table) {
      const e = classifyClaudeFailure(kind, text);
      expect(e === null ? null : (e as { code: string }).code, `${kind} ${text}`).toBe(code);
      if (e && e.type === 'error') expect(e.retryable, text).toBe(retryable);
    }
  });

  it('reports on exit the failure that explains it, with the usage limit reset time, and none for a clean exit', () => {
    const watch = new FailureWatch();
    for (const line of [
      '{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1800000000,"rateLimitType":"five_hour"}}',
      '{"type":"assistant","error":"rate_limit","message":{"content":[{"type":"text","text":"You\'ve hit your session limit · resets 3pm"}]}}',
      '{"type":"result","subtype":"success","is_error":true,"result":"You\'ve hit your session limit · resets 3pm"}',
    ]) for (const e of parseClaudeLine(line)) watch.observe(e);
    expect(watch.reason(1, true)).toEqual({ code: 'usage-limit', message: "You've hit your session limit · resets 3pm", retryable: true, resetAt: new Date(1800000000 * 1000).toISOString() });
    const recovered = new FailureWatch();
    for (const e of parseClaudeLine('{"type":"assistant","error":"server_error","message":{"content":[{"type":"text","text":"API Error: 500"}]}}')) recovered.observe(e);
    expect(recovered.reason(0, false)).toBeNull();
    expect(recovered.reason(1, true)).toMatchObject({ code: 'api-error', retryable: true });
  });
});

import { describe, expect, it } from 'vitest';
import { claudeAdapter, claudeArgs, parseClaudeLine } from './claude-adapter.js';

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
});

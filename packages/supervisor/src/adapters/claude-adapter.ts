import { claudeOptionsSchema, type ClaudeOptions } from '@godmode/protocol';
import type { AdapterEvent, WorkerAdapter } from './adapter.js';

/** The command line of a headless Claude Code worker for the given options. */
export function claudeArgs(o: ClaudeOptions): string[] {
  const args = ['-p', o.prompt, '--output-format', 'stream-json', '--verbose'];
  if (o.bare) args.push('--bare');
  if (o.model) args.push('--model', o.model);
  if (o.allowedTools?.length) args.push('--allowedTools', o.allowedTools.join(','));
  if (o.disallowedTools?.length) args.push('--disallowedTools', o.disallowedTools.join(','));
  if (o.permissionMode) args.push('--permission-mode', o.permissionMode);
  if (o.maxTurns !== undefined) args.push('--max-turns', String(o.maxTurns));
  if (o.maxBudgetUsd !== undefined) args.push('--max-budget-usd', String(o.maxBudgetUsd));
  if (o.mcpConfig) args.push('--mcp-config', o.mcpConfig);
  if (o.appendSystemPrompt) args.push('--append-system-prompt', o.appendSystemPrompt);
  if (o.sessionId) args.push('--session-id', o.sessionId);
  if (o.resume) args.push('--resume', o.resume);
  if (o.extraArgs) args.push(...o.extraArgs);
  return args;
}

const notLoggedIn = /not logged in|please run \/login|invalid api key|authentication_failed|oauth token (has )?(expired|been revoked)|oauth token revoked/i;
const usageLimit = /hit your .*limit|usage limit|^API Error: 429\b|rate limit/i;
const apiError = /^API Error\b|overloaded|internal server error|request timed out|connection error/i;

/**
 * The failure a Claude Code error stands for, as a table: the assistant message's `error` kind when it has one,
 * else the text of an `is_error` result. Not logged in and billing problems cannot succeed on a retry; a usage
 * limit can after its reset; API errors (5xx, overloaded, timeouts) can at once.
 */
export function classifyClaudeFailure(kind: string | null, text: string): AdapterEvent | null {
  const message = text.split('\n')[0]?.slice(0, 300) || kind || 'Claude Code failed';
  if (kind === 'authentication_failed' || notLoggedIn.test(text)) {
    return { type: 'error', code: 'not-logged-in', message: text ? message : 'Claude Code is not logged in. Run `claude` and then /login.', retryable: false };
  }
  if (kind === 'billing_error' || /credit balance is too low|billing/i.test(text)) return { type: 'error', code: 'billing', message, retryable: false };
  if (kind === 'rate_limit' || usageLimit.test(text)) return { type: 'error', code: 'usage-limit', message, retryable: true };
  if (kind === 'server_error' || kind === 'overloaded' || (kind !== null && kind !== 'invalid_request') || apiError.test(text)) return { type: 'error', code: 'api-error', message, retryable: true };
  return null;
}

/** Parses one stream-json line of Claude Code into supervisor events. Unknown lines are ignored. */
export function parseClaudeLine(line: string): AdapterEvent[] {
  if (!line.startsWith('{')) return [];
  let m: any;
  try {
    m = JSON.parse(line);
  } catch {
    return [];
  }
  switch (m?.type) {
    case 'system':
      if (m.subtype === 'init') {
        return [{ type: 'activity', kind: 'init', detail: { sessionId: m.session_id ?? null, tools: m.tools ?? [], mcpServers: m.mcp_servers ?? [], model: m.model ?? null } }];
      }
      return [{ type: 'activity', kind: `system:${m.subtype ?? 'other'}`, detail: {} }];
    case 'assistant': {
      const out: AdapterEvent[] = [];
      if (typeof m.error === 'string') {
        const failure = classifyClaudeFailure(m.error, textOf(m.message?.content));
        if (failure) out.push(failure);
      }
      for (const c of m.message?.content ?? []) {
        if (c?.type === 'tool_use') out.push({ type: 'activity', kind: 'tool_use', detail: { name: c.name, id: c.id } });
        else if (c?.type === 'text') out.push({ type: 'activity', kind: 'text', detail: { chars: String(c.text ?? '').length } });
      }
      return out;
    }
    case 'user':
      return (m.message?.content ?? [])
        .filter((c: any) => c?.type === 'tool_result')
        .map((c: any) => ({ type: 'activity', kind: 'tool_result', detail: { id: c.tool_use_id, isError: Boolean(c.is_error) } }) as AdapterEvent);
    case 'rate_limit_event': {
      const info = m.rate_limit_info ?? m;
      const reset = info.resetsAt ?? info.resets_at ?? null;
      const status = info.status ?? null;
      if (status && status !== 'rejected' && status !== 'exceeded') return [{ type: 'activity', kind: 'rate_limit_status', detail: { status } }];
      return [{ type: 'rate-limited', resetsAt: reset === null ? null : typeof reset === 'number' ? new Date(reset * (reset < 1e12 ? 1000 : 1)).toISOString() : String(reset) }];
    }
    case 'result': {
      const text = typeof m.result === 'string' ? m.result : null;
      const events: AdapterEvent[] = [
        {
          type: 'result',
          isError: Boolean(m.is_error),
          subtype: String(m.subtype ?? 'unknown'),
          sessionId: m.session_id ?? null,
          numTurns: typeof m.num_turns === 'number' ? m.num_turns : null,
          costUsd: typeof m.total_cost_usd === 'number' ? m.total_cost_usd : null,
          usage: m.usage && typeof m.usage === 'object' ? m.usage : null,
          text,
        },
      ];
      const failure = m.is_error && text ? classifyClaudeFailure(null, text) : null;
      if (failure) events.unshift(failure);
      return events;
    }
    default:
      return [];
  }
}

function textOf(content: unknown): string {
  return Array.isArray(content) ? content.filter((c: any) => c?.type === 'text').map((c: any) => String(c.text)).join('') : '';
}

/** Claude Code headless with stream-json output. `CLAUDECODE` is removed so a nested run is not refused. */
export const claudeAdapter: WorkerAdapter = {
  name: 'claude',
  optionsSchema: claudeOptionsSchema,
  launch(spec, context) {
    const o = claudeOptionsSchema.parse(spec.options);
    const env: Record<string, string | undefined> = { ...context.env, ...o.env, CLAUDECODE: undefined };
    // A resumed attempt continues the earlier session: --resume replaces any session id of the plan.
    const options = context.resumeSessionId ? { ...o, sessionId: undefined, resume: context.resumeSessionId } : o;
    return { file: o.executable ?? process.env.GODMODE_CLAUDE_BIN ?? 'claude', args: claudeArgs(options), env };
  },
  parseLine: (line) => parseClaudeLine(line),
  installHint: 'install Claude Code (npm install -g @anthropic-ai/claude-code), or set the worker option `executable` or GODMODE_CLAUDE_BIN',
};

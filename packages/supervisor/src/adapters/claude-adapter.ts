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

const notLoggedIn = /not logged in|please run \/login|invalid api key|authentication_failed|oauth token (has )?expired/i;

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
      if (m.error === 'authentication_failed') {
        out.push({ type: 'error', code: 'not-logged-in', message: textOf(m.message?.content) || 'Claude Code is not logged in. Run `claude` and then /login.' });
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
      if (m.is_error && text && notLoggedIn.test(text)) events.unshift({ type: 'error', code: 'not-logged-in', message: text });
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
    return { file: o.executable ?? process.env.GODMODE_CLAUDE_BIN ?? 'claude', args: claudeArgs(o), env };
  },
  parseLine: (line) => parseClaudeLine(line),
};

import { terminalText } from '@godmode/protocol';
import type { ClaudeEvent } from './stream-event.js';

/** A tool call Claude Code refused to run (its `result` event's `permission_denials`). */
export interface PermissionDenial {
  tool: string;
  /** What the call would have done: its command, file or pattern, shortened. Model text: untrusted. */
  what: string;
}

/** The denials of a `result` event; none when it has no such field (older Claude Code) or it is empty. */
export function permissionDenials(result: ClaudeEvent | undefined): PermissionDenial[] {
  const raw = result?.permission_denials;
  if (!Array.isArray(raw)) return [];
  return raw.map((d: { tool_name?: unknown; tool_input?: Record<string, unknown> }) => {
    const input = d?.tool_input ?? {};
    const main = input.command ?? input.file_path ?? input.path ?? input.pattern ?? input.url;
    const what = typeof main === 'string' ? main : Object.keys(input).length ? JSON.stringify(input) : '';
    return { tool: typeof d?.tool_name === 'string' ? d.tool_name : 'a tool', what: what.length > 120 ? `${what.slice(0, 119)}…` : what };
  });
}

/**
 * One paragraph for the terminal: which calls were denied (they did not run, whatever the answer says),
 * and how to allow them. Tool names and inputs come from the model and are shown inert.
 */
export function describeDenials(denials: PermissionDenial[]): string {
  const tools = [...new Set(denials.map((d) => terminalText(d.tool)))];
  const lines = denials.map((d) => `  denied ${terminalText(d.tool)}${d.what ? `: ${terminalText(d.what)}` : ''}`);
  return [
    `Claude Code was denied ${denials.length} tool call${denials.length === 1 ? '' : 's'}; ${denials.length === 1 ? 'it' : 'they'} did not run, whatever the answer says:`,
    ...lines,
    `Allow ${tools.length === 1 ? 'it' : 'them'} with --allowed-tools ${tools.map((t) => `"${t}"`).join(' ')}, or choose a --permission-mode (acceptEdits, auto, bypassPermissions).`,
  ].join('\n');
}

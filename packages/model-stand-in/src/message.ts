import type { Turn } from './script.js';
import { isBash, isTool } from './script.js';

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** An assistant message in the Messages API's shape, built from a scripted turn. */
export interface StandInMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: 'end_turn' | 'tool_use';
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number };
}

let counter = 0;

function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}_standin_${process.pid}_${counter}`;
}

/** Builds the message a turn stands for; `text` for side requests and exhausted scripts. */
export function messageFor(turn: Turn | { text: string }, model: string, inputTokens: number): StandInMessage {
  const content: ContentBlock[] = [];
  if ('text' in turn && typeof turn.text === 'string' && turn.text !== '') content.push({ type: 'text', text: turn.text });
  if (isBash(turn as Turn)) {
    const bash = turn as { bash: string; description?: string };
    content.push({
      type: 'tool_use',
      id: nextId('toolu'),
      name: 'Bash',
      input: { command: bash.bash, description: bash.description ?? 'Run a scripted command' },
    });
  } else if (isTool(turn as Turn)) {
    const tool = (turn as { tool: { name: string; input: Record<string, unknown> } }).tool;
    content.push({ type: 'tool_use', id: nextId('toolu'), name: tool.name, input: tool.input });
  }
  if (content.length === 0) content.push({ type: 'text', text: '' });
  const outputTokens = Math.max(1, Math.ceil(JSON.stringify(content).length / 4));
  return {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens },
  };
}

/**
 * All text the user side sent in a Messages API request body (string contents, text blocks
 * and tool results), joined by newlines: what a test greps to see what Claude Code passed on.
 */
export function userText(body: unknown): string {
  const messages = (body as { messages?: unknown })?.messages;
  if (!Array.isArray(messages)) return '';
  const parts: string[] = [];
  for (const message of messages) {
    if (message?.role !== 'user') continue;
    collect(message.content, parts);
  }
  return parts.join('\n');
}

function collect(content: unknown, parts: string[]): void {
  if (typeof content === 'string') return void parts.push(content);
  if (!Array.isArray(content)) return;
  for (const block of content) {
    if (block?.type === 'text' && typeof block.text === 'string') parts.push(block.text);
    else if (block?.type === 'tool_result') collect(block.content, parts);
  }
}

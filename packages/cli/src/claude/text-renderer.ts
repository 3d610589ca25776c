import { assistantBlocks, textDelta, type ClaudeEvent } from './stream-event.js';

export interface TextSink {
  write(text: string): unknown;
}

/**
 * Shows a Claude Code turn to a person: answer text on `out` as it arrives (from partial-message
 * deltas, or whole messages when there were none), tool calls as one short line on `notes`.
 * Failures are left to the caller, so a synthetic "Not logged in" message is not printed as an answer.
 */
export class TextRenderer {
  private streamedSinceMessage = false;
  private atLineStart = true;

  constructor(
    private readonly out: TextSink,
    private readonly notes: TextSink,
    private readonly dim: (text: string) => string = (text) => text,
  ) {}

  render(event: ClaudeEvent): void {
    const delta = textDelta(event);
    if (delta !== undefined) {
      this.streamedSinceMessage = true;
      this.text(delta);
      return;
    }
    if (event.type !== 'assistant' || typeof event.error === 'string') return;
    const streamed = this.streamedSinceMessage;
    this.streamedSinceMessage = false;
    for (const block of assistantBlocks(event)) {
      if (block.type === 'text' && !streamed && block.text) this.text(block.text);
      if (block.type === 'tool_use') {
        this.endLine();
        this.notes.write(this.dim(`  → ${block.name ?? 'tool'}: ${summarize(block.input)}`) + '\n');
      }
    }
  }

  /** Ends the answer with a newline, if it did not. */
  finish(): void {
    this.endLine();
  }

  private text(text: string): void {
    if (text === '') return;
    this.out.write(text);
    this.atLineStart = text.endsWith('\n');
  }

  private endLine(): void {
    if (!this.atLineStart) this.out.write('\n');
    this.atLineStart = true;
  }
}

function summarize(input: Record<string, unknown> | undefined): string {
  if (!input) return '';
  const main = input.command ?? input.file_path ?? input.pattern ?? input.url ?? input.description;
  const text = typeof main === 'string' ? main : JSON.stringify(input);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

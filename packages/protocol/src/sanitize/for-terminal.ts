import { escapeControls } from './visible-escape.js';

/**
 * Worker text for a terminal line: no escape sequence, carriage return, line break or bidi override reaches
 * the terminal; each is shown as a visible escape (`\e[2J`, `\r`, `\n`, `\u202e`). Optionally cut to
 * `max` characters (an ellipsis marks the cut), counted after escaping so the line's width is bounded.
 */
export function terminalText(text: string, options: { max?: number; keepNewlines?: boolean } = {}): string {
  const safe = escapeControls(text, options.keepNewlines ? { keepNewlines: true } : {});
  if (options.max !== undefined && safe.length > options.max) return `${safe.slice(0, Math.max(0, options.max - 1))}…`;
  return safe;
}

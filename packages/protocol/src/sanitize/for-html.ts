import { escapeControls } from './visible-escape.js';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a quoted attribute: markup characters as entities, controls as visible escapes. */
export function htmlText(text: string): string {
  return escapeControls(text).replace(/[&<>"']/g, (ch) => entities[ch] as string);
}

import { escapeControls } from './visible-escape.js';

/**
 * Text for inline Markdown (a paragraph, a list item or a table cell): controls as visible escapes (so a
 * newline cannot start a new block or table row), the characters inline Markdown gives a meaning to
 * (`` ` `` `*` `_` `[` `]` `|` `~` `\`) escaped with a backslash, a leading block marker (`#`, `>`, `-`,
 * `+`, `=`) escaped too, and `<`, `>`, `&` as entities so no tag (`<script>`) or entity survives in
 * renderers that allow raw HTML.
 */
export function markdownText(text: string): string {
  return escapeControls(text)
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/^(\s*)([#>+=-])/, '$1\\$2')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

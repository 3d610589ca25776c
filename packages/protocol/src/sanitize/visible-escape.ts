/**
 * Characters that must never reach a reader as themselves when the text comes from a worker: C0 controls
 * (ESC starts CSI/OSC sequences, BEL, CR rewinds a line, LF forges new lines, BS erases), DEL, C1 controls
 * (U+0080–U+009F, where U+009B is a one-byte CSI), bidi marks, embeddings, overrides and isolates
 * (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069: "Trojan Source"), the line and paragraph
 * separators (U+2028–U+2029) and the byte-order mark / zero-width no-break space (U+FEFF).
 */
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\u0000': '\\0' };

/** The visible escape of one unsafe character: `\e`, `\n`, `\x7f`, `\u202e`. */
export function visibleEscape(ch: string): string {
  const known = named[ch];
  if (known) return known;
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Lone UTF-16 surrogates (from a cut string) become U+FFFD, so no renderer chokes on them. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Worker text made inert: every unsafe character shown as a visible escape. With `keepNewlines`, a line
 * feed stays a line break (for multi-line blocks such as a log tail); CR and everything else is escaped.
 */
export function escapeControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  const s = String(text).replace(loneSurrogate, '\ufffd');
  return s.replace(UNSAFE_CHARACTERS, (ch) => (options.keepNewlines && ch === '\n' ? ch : visibleEscape(ch)));
}

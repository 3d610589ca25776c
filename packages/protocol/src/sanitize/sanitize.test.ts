import { describe, expect, it } from 'vitest';
import { escapeControls, htmlText, markdownText, terminalText } from './index.js';

const ESC = '\u001b';

/** One row per attack: what a worker writes, and what each medium must show instead. */
const cases: Array<{ name: string; input: string; terminal: string; markdown: string; html: string }> = [
  { name: 'plain text passes', input: 'wrote 3 files', terminal: 'wrote 3 files', markdown: 'wrote 3 files', html: 'wrote 3 files' },
  { name: 'ESC alone', input: `a${ESC}b`, terminal: 'a\\eb', markdown: 'a\\\\eb', html: 'a\\eb' },
  { name: 'CSI clear screen', input: `${ESC}[2J${ESC}[H`, terminal: '\\e[2J\\e[H', markdown: '\\\\e\\[2J\\\\e\\[H', html: '\\e[2J\\e[H' },
  { name: 'CSI colour forging a green tick', input: `${ESC}[32m✓ shipped${ESC}[0m`, terminal: '\\e[32m✓ shipped\\e[0m', markdown: '\\\\e\\[32m✓ shipped\\\\e\\[0m', html: '\\e[32m✓ shipped\\e[0m' },
  { name: 'one-byte C1 CSI', input: '\u009b2J', terminal: '\\x9b2J', markdown: '\\\\x9b2J', html: '\\x9b2J' },
  { name: 'OSC window title ended by BEL', input: `${ESC}]0;pwned\u0007`, terminal: '\\e]0;pwned\\a', markdown: '\\\\e\\]0;pwned\\\\a', html: '\\e]0;pwned\\a' },
  { name: 'OSC 8 hyperlink ended by ST', input: `${ESC}]8;;http://x${ESC}\\click${ESC}]8;;${ESC}\\`, terminal: '\\e]8;;http://x\\e\\click\\e]8;;\\e\\', markdown: '\\\\e\\]8;;http://x\\\\e\\\\click\\\\e\\]8;;\\\\e\\\\', html: '\\e]8;;http://x\\e\\click\\e]8;;\\e\\' },
  { name: 'BEL', input: 'ding\u0007', terminal: 'ding\\a', markdown: 'ding\\\\a', html: 'ding\\a' },
  { name: 'CR rewinding a line', input: 'failed\r✓ shipped', terminal: 'failed\\r✓ shipped', markdown: 'failed\\\\r✓ shipped', html: 'failed\\r✓ shipped' },
  { name: 'newline forging a line', input: 'ok\n  ✓ other shipped', terminal: 'ok\\n  ✓ other shipped', markdown: 'ok\\\\n  ✓ other shipped', html: 'ok\\n  ✓ other shipped' },
  { name: 'backspace and DEL', input: 'ab\b\u007f', terminal: 'ab\\b\\x7f', markdown: 'ab\\\\b\\\\x7f', html: 'ab\\b\\x7f' },
  { name: 'bidi override (Trojan Source)', input: 'a\u202eb\u202cc', terminal: 'a\\u202eb\\u202cc', markdown: 'a\\\\u202eb\\\\u202cc', html: 'a\\u202eb\\u202cc' },
  { name: 'bidi isolates', input: '\u2066x\u2067y\u2068z\u2069', terminal: '\\u2066x\\u2067y\\u2068z\\u2069', markdown: '\\\\u2066x\\\\u2067y\\\\u2068z\\\\u2069', html: '\\u2066x\\u2067y\\u2068z\\u2069' },
  { name: 'embeddings U+202A, U+202B, U+202D', input: '\u202a\u202b\u202d', terminal: '\\u202a\\u202b\\u202d', markdown: '\\\\u202a\\\\u202b\\\\u202d', html: '\\u202a\\u202b\\u202d' },
  { name: 'line separator', input: 'a\u2028b', terminal: 'a\\u2028b', markdown: 'a\\\\u2028b', html: 'a\\u2028b' },
  { name: 'script tag', input: '<script>alert(1)</script>', terminal: '<script>alert(1)</script>', markdown: '&lt;script&gt;alert(1)&lt;/script&gt;', html: '&lt;script&gt;alert(1)&lt;/script&gt;' },
  { name: 'attribute breakout', input: '" onmouseover="x', terminal: '" onmouseover="x', markdown: '" onmouseover="x', html: '&quot; onmouseover=&quot;x' },
  { name: 'entity smuggling', input: '&lt;b&gt;', terminal: '&lt;b&gt;', markdown: '&amp;lt;b&amp;gt;', html: '&amp;lt;b&amp;gt;' },
  { name: 'backticks', input: '`rm -rf /`', terminal: '`rm -rf /`', markdown: '\\`rm -rf /\\`', html: '`rm -rf /`' },
  { name: 'pipe in a table cell', input: 'a | b', terminal: 'a | b', markdown: 'a \\| b', html: 'a | b' },
  { name: 'markdown link and emphasis', input: '[click](http://evil) **bold**', terminal: '[click](http://evil) **bold**', markdown: '\\[click\\](http://evil) \\*\\*bold\\*\\*', html: '[click](http://evil) **bold**' },
  { name: 'leading heading marker', input: '# Shipped', terminal: '# Shipped', markdown: '\\# Shipped', html: '# Shipped' },
  { name: 'lone surrogate from a cut string', input: 'x\ud83d', terminal: 'x\ufffd', markdown: 'x\ufffd', html: 'x\ufffd' },
  { name: 'NUL', input: 'a\u0000b', terminal: 'a\\0b', markdown: 'a\\\\0b', html: 'a\\0b' },
];

describe('sanitisers: worker text for each medium', () => {
  it.each(cases)('$name', ({ input, terminal, markdown, html }) => {
    expect(terminalText(input)).toBe(terminal);
    expect(markdownText(input)).toBe(markdown);
    expect(htmlText(input)).toBe(html);
  });

  it('never lets an unsafe character through, whatever the input', () => {
    const unsafe = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    for (let code = 0; code < 0x2100; code++) {
      const s = `x${String.fromCharCode(code)}y`;
      expect(terminalText(s)).not.toMatch(unsafe);
      expect(markdownText(s)).not.toMatch(unsafe);
      expect(htmlText(s)).not.toMatch(unsafe);
      expect(htmlText(s)).not.toMatch(/[<>"']/);
    }
  });

  it('keeps line breaks only when asked (multi-line blocks such as a log tail), never CR', () => {
    expect(escapeControls('a\nb\r\nc', { keepNewlines: true })).toBe('a\nb\\r\nc');
    expect(terminalText('a\nb', { keepNewlines: true })).toBe('a\nb');
  });

  it('cuts to a width after escaping', () => {
    expect(terminalText(`${ESC}[2J${'x'.repeat(50)}`, { max: 10 })).toBe('\\e[2Jxxxx…');
    expect(terminalText('short', { max: 10 })).toBe('short');
  });
});

import { describe, expect, it } from 'vitest';
import { plantCanaries } from '@godmode/scorer';
import { pageText } from './page-text.js';
import { Redactor, redactedMark } from './redactor.js';

describe('pageText', () => {
  const cases: Array<[string, string, string]> = [
    ['plain text unchanged', 'wrote src/a.ts', 'wrote src/a.ts'],
    ['HTML kept as text (the page uses text nodes)', '<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['SGR colour codes removed', '\u001b[31mred\u001b[0m', 'red'],
    ['cursor movement removed', 'a\u001b[2K\u001b[1Gb', 'ab'],
    ['OSC title removed', '\u001b]0;title\u0007text', 'text'],
    ['control characters removed, newline and tab kept', 'a\u0000b\u0008c\nd\te', 'abc\nd\te'],
  ];
  it.each(cases)('%s', (_name, input, expected) => expect(pageText(input)).toBe(expected));

  it('cuts a 1 MB line and says how much was left out', () => {
    const text = pageText('x'.repeat(1_048_576));
    expect(text.length).toBeLessThan(2_100);
    expect(text).toMatch(/… \(1,046,576 more characters\)$/);
  });
});

describe('Redactor', () => {
  const { values } = plantCanaries(3, 'dashboard');
  const c = values[1]!;
  it('removes every form of a canary from serialised JSON, and nothing else', () => {
    const redactor = new Redactor(values);
    const json = JSON.stringify({ line: `key=${c}`, b64: Buffer.from(`x${c}`).toString('base64'), hex: Buffer.from(c).toString('hex'), url: encodeURIComponent(c), ok: 'fine' });
    const out = redactor.redact(json);
    for (const v of values) expect(out).not.toContain(v);
    expect(out).not.toContain(Buffer.from(c).toString('hex'));
    expect(out).not.toContain(encodeURIComponent(c));
    expect(out.split(redactedMark).length - 1).toBe(4);
    expect(JSON.parse(out).ok).toBe('fine');
  });
  it('is a no-op with no canaries', () => expect(new Redactor([]).redact('{"a":1}')).toBe('{"a":1}'));
});

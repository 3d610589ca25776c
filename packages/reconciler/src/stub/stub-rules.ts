/**
 * What makes a file a placeholder rather than work. The ONE place these rules live; README.md quotes them
 * and `stub-rules.test.ts` pins them with a table.
 *
 * A file is a stub when:
 *  1. it is empty (0 bytes), or
 *  2. its first `maxStubBytes` are all there is (larger files are never stubs: a placeholder is short) and,
 *     after dropping a BOM, NUL bytes, blank lines and comment markers, every remaining line is either
 *     - placeholder text: a line that starts with one of `placeholderWords` (TODO, FIXME, "not implemented", …),
 *     - a placeholder statement: `throw new Error("TODO")`, `raise NotImplementedError`, `pass`, `...`,
 *       `todo!()`, `unimplemented!()`, an empty `return;`,
 *     - or scaffolding: a declaration line with no body (`export function f(a) {`, `class A {`, `def f():`),
 *       closing punctuation (`}`, `});`), or an empty module (`export {};`, `module.exports = {};`).
 * Anything else on any line (a `return a + b;`, a heading with words, a JSON field, binary data) is work.
 */
export const maxStubBytes = 64 * 1024;

/** Lines that start with one of these words (case-insensitive, after comment markers) are placeholders. */
export const placeholderWords = [
  'todo',
  'fixme',
  'tbd',
  'xxx',
  'stub',
  'placeholder',
  'not implemented',
  'not yet implemented',
  'unimplemented',
  'coming soon',
  'lorem ipsum',
  'implement me',
  'to be implemented',
] as const;

const words = placeholderWords.map((w) => w.replace(/ /g, '\\s+')).join('|');
/** Text that is a placeholder, possibly quoted and followed by punctuation or a short note (`TODO: auth`). */
const placeholderText = new RegExp(`^["'\`]?(?:${words})(?:\\b.*)?$`, 'i');
/** A string literal that says nothing but a placeholder, or nothing at all. */
const placeholderString = `(?:["'\`](?:\\s*(?:${words})\\b[^"'\`]*)?["'\`])?`;

/** Each rule: a name (shown in evidence) and a line pattern. Order does not matter. */
export const STUB_RULES: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'placeholder text', pattern: placeholderText },
  {
    name: 'throw of a placeholder error',
    pattern: new RegExp(`^throw\\s+(?:new\\s+)?\\w*Error\\s*\\(\\s*${placeholderString}\\s*\\)\\s*;?$`, 'i'),
  },
  { name: 'raise NotImplementedError', pattern: /^raise\s+NotImplemented(?:Error)?(?:\s*\(.*\))?$/ },
  { name: 'rust todo!/unimplemented!', pattern: /^(?:todo|unimplemented)!\s*\(.*\)\s*;?$/ },
  { name: 'python pass / ellipsis', pattern: /^(?:pass|\.\.\.)$/ },
  { name: 'empty return', pattern: /^return\s*;?$/ },
  {
    name: 'function or class declaration without a body',
    pattern:
      /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?\s*[\w$]*\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::\s*[^{]+)?|(?:abstract\s+)?class\s+[\w$]+(?:\s+(?:extends|implements)\s+[^{]+)?)\s*\{?\s*\}?\s*;?$/,
  },
  {
    name: 'method or arrow function header without a body',
    pattern:
      /^(?:(?:export\s+)?(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*(?:async\s*)?\([^)]*\)\s*(?::\s*[^=]+)?=>|(?:(?:public|private|protected|static|async|override|get|set)\s+)*[\w$]+\s*\([^)]*\)\s*(?::\s*[^{]+)?)\s*\{?\s*\}?\s*;?$/,
  },
  { name: 'rust fn header', pattern: /^(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+\w+\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?:->\s*[^{]+)?\{?\s*\}?$/ },
  { name: 'python def/class header', pattern: /^(?:async\s+)?(?:def\s+\w+\s*\(.*\)\s*(?:->.*)?|class\s+\w+(?:\(.*\))?)\s*:$/ },
  { name: 'closing punctuation', pattern: /^[{}()[\];,]+$/ },
  { name: 'empty module', pattern: /^(?:export\s*\{\s*\}|export\s+default\s*\{\s*\}|module\.exports\s*=\s*\{\s*\})\s*;?$/ },
];

/** Comment markers and wrappers stripped from both ends of a line before the rules apply. */
const leadingMarkers = /^(?:\/\/+|\/\*+|\*+(?!\/)|#+|<!--|--|;+|>|%|rem\b)\s*/i;
const trailingMarkers = /\s*(?:\*+\/|-->)$/;

/** Why the content is a stub, or null when it is work. `bytes` may be the head of a larger file of `size` bytes. */
export function stubReason(bytes: Uint8Array, size: number = bytes.length): string | null {
  if (size === 0) return 'empty (0 bytes)';
  if (size > maxStubBytes || bytes.length < size) return null;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').replace(/^\uFEFF/, '').replace(/\0/g, '');
  if (text.trim() === '') return 'only whitespace';
  const matched = new Set<string>();
  for (const raw of text.split(/\r\n|\r|\n/)) {
    let line = raw.trim();
    let previous: string;
    do {
      previous = line;
      line = line.replace(leadingMarkers, '').replace(trailingMarkers, '').trim();
    } while (line !== previous);
    if (line === '') continue;
    const rule = STUB_RULES.find((r) => r.pattern.test(line));
    if (!rule) return null;
    matched.add(rule.name);
  }
  return `only placeholder content (${[...matched].join(', ') || 'comments'})`;
}

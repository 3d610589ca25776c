/**
 * What makes a file a placeholder rather than work. The ONE place these rules live; README.md quotes them
 * and `stub-rules.test.ts` pins them with a table. They apply to a file of ANY size (streamed in chunks):
 * a placeholder does not become work by being long.
 *
 * A file is a stub when:
 *  1. it is empty (0 bytes), or
 *  2. its bytes (after a BOM) are one block repeated: one byte (1 MiB of zeros), or one unit of up to
 *     `maxRepeatedBlock` bytes repeated at least twice (`abcabc…`, the same line 5,000 times), or
 *  3. decoded as text (UTF-8; UTF-16/UTF-32 LE/BE when a BOM says so), after dropping NUL bytes, blank
 *     lines and comment markers, either every remaining line is one and the same line repeated (at least
 *     twice), or every remaining line is one of:
 *     - placeholder text: one of `placeholderWords` used as a word of prose (`TODO`, `TODO: auth`,
 *       `TODO(alice): fix`, `FIXME - later`, `not implemented`) — NOT an identifier in code
 *       (`todo.items.push(text);`, `stub.restore()`, `todo = []`, `stub: true,`, `todo := f()`),
 *     - a placeholder statement: `throw new Error("TODO")`, `raise NotImplementedError`, `pass`, `...`,
 *       `todo!()`, `unimplemented!()`, an empty `return;`,
 *     - scaffolding: a declaration line with no body (`export function f(a) {`, `class A {`, `def f():`),
 *       closing punctuation (`}`, `});`), or an empty module (`export {};`, `module.exports = {};`),
 *     - filler: one character repeated (`==========`, 10,000 `x`s padding a TODO).
 * Anything else on any line (a `return a + b;`, a heading with words, a JSON field, minified code, binary
 * data) is work.
 */

/** The longest unit whose repetition is recognised (the smallest period is searched in this many bytes × 2). */
export const maxRepeatedBlock = 32 * 1024;
/** Lines longer than this are work unless they are one repeated character (no placeholder note is this long). */
const maxRuleLine = 4096;

/** Words that, used as prose (case-insensitive, after comment markers), make a line a placeholder. */
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
/**
 * Placeholder text: the word, optionally quoted, then nothing, end punctuation, an owner `(alice)` and a
 * colon or dash note, or a space and prose. What follows must not make it code: an accessor (`.x`), a call
 * (`(x)` without a colon), an index, an assignment or operator, or a colon followed by a value
 * (`stub: true,`, `placeholder: "Name"`, `todo: list[str] = []`) or `:=`.
 */
const placeholderText = new RegExp(
  `^["'\`]?(?:${words})` +
    `(?:` +
    `["'\`]?[.!?…]*` + // TODO  TODO.  "TODO"
    `|(?:\\([\\w@. -]*\\))?\\s*:(?!=)(?!\\s*(?:true|false|null|undefined|-?\\d|["'\`{[]))(?![^=]*[^=!<>]=[^=>]).*` + // TODO: note  TODO(alice): note
    `|(?:\\([\\w@. -]*\\))?\\s*[-–—!]\\s+.*` + // TODO - note
    `|\\s+(?![=+*/%&|^<>?:.-]|in\\b|of\\b|is\\b|as\\b).*` + // TODO implement login
    `)$`,
  'i',
);
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
  { name: 'filler (one character repeated)', pattern: /^(.)\1+$/su },
];

/** Comment markers and wrappers stripped from both ends of a line before the rules apply. */
const leadingMarkers = /^(?:\/\/+|\/\*+|\*+(?!\/)|#+|<!--|--|;+|>|%|rem\b)\s*/i;
const trailingMarkers = /\s*(?:\*+\/|-->)$/;

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** The encoding a BOM announces, and the BOM's length (UTF-8 without a BOM otherwise). */
function sniff(head: Buffer): { encoding: Encoding; bom: number } {
  const [a, b, c, d] = head;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'utf-32le', bom: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', bom: 4 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bom: 3 };
  return { encoding: 'utf-8', bom: 0 };
}

/** Streaming text decoder for the five encodings (TextDecoder has no UTF-32). */
function decoder(encoding: Encoding): (bytes: Buffer, last: boolean) => string {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') {
    let carry = Buffer.alloc(0);
    return (bytes, last) => {
      const all = carry.length ? Buffer.concat([carry, bytes]) : bytes;
      const whole = all.length - (all.length % 4);
      carry = last ? Buffer.alloc(0) : Buffer.from(all.subarray(whole));
      let out = '';
      for (let i = 0; i < whole; i += 4) {
        const cp = encoding === 'utf-32le' ? all.readUInt32LE(i) : all.readUInt32BE(i);
        out += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
      }
      return out;
    };
  }
  const td = new TextDecoder(encoding);
  return (bytes, last) => td.decode(bytes, { stream: !last });
}

/** The smallest period of `bytes` (KMP failure function): `bytes` is its first `p` bytes repeated. */
function smallestPeriod(bytes: Buffer): number {
  const n = bytes.length;
  const fail = new Int32Array(n);
  for (let i = 1, k = 0; i < n; i++) {
    while (k > 0 && bytes[i] !== bytes[k]) k = fail[k - 1] as number;
    if (bytes[i] === bytes[k]) k++;
    fail[i] = k;
  }
  return n - (fail[n - 1] ?? 0);
}

function normalise(raw: string): string {
  let line = raw.trim();
  let previous: string;
  do {
    previous = line;
    line = line.replace(leadingMarkers, '').replace(trailingMarkers, '').trim();
  } while (line !== previous);
  return line;
}

/**
 * Judges content fed in chunks (`push`, then `finish`), in bounded memory: the head (for the encoding and
 * the repeated block), the current line, and the first line. Stops doing work on a file as soon as it
 * has seen a line that is work and a second distinct line, and content that breaks the repetition.
 */
export class StubScanner {
  private size = 0;
  private head: Buffer[] = [];
  private headBytes = 0;
  private bomLength = -1;
  private decode: ((bytes: Buffer, last: boolean) => string) | null = null;
  // repeated block, decided once the head is full
  private period: Buffer | null = null;
  private periodic = true;
  private offset = 0;
  // lines
  private pending = '';
  private longChar: string | null = null;
  private longUniform = true;
  private lineCount = 0;
  private firstLine: string | null = null;
  private allSame = true;
  private allRules = true;
  private readonly matched = new Set<string>();
  private linesDone = false;

  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.bomLength < 0) {
      this.head.push(bytes);
      this.headBytes += bytes.length;
      if (this.headBytes < 4 + 2 * maxRepeatedBlock) return;
      this.start(false);
      return;
    }
    this.feed(bytes, false);
  }

  /** Why the content is a stub, or null when it is work. */
  finish(): string | null {
    if (this.bomLength < 0) this.start(true);
    else this.feed(Buffer.alloc(0), true);
    const body = this.size - this.bomLength;
    if (this.size === 0) return 'empty (0 bytes)';
    if (this.lineCount === 0) return 'only whitespace';
    if (this.periodic && this.period !== null && body >= 2 * this.period.length) {
      const p = this.period.length;
      if (p === 1) return `one byte (0x${(this.period[0] as number).toString(16).padStart(2, '0')}) repeated ${body} times`;
      return `one ${p}-byte block repeated ${Math.floor(body / p)} times`;
    }
    if (this.allRules) return `only placeholder content (${[...this.matched].join(', ') || 'comments'})`;
    if (this.allSame && this.lineCount >= 2) return `one line repeated ${this.lineCount} times`;
    return null;
  }

  private start(last: boolean): void {
    const head = this.head.length === 1 ? (this.head[0] as Buffer) : Buffer.concat(this.head);
    this.head = [];
    const { encoding, bom } = sniff(head);
    this.bomLength = Math.min(bom, head.length);
    // The whole content in one piece (the common small file) in UTF-8: no streaming decoder to build.
    this.decode = last && encoding === 'utf-8' ? (b) => b.toString('utf8') : decoder(encoding);
    const body = head.subarray(this.bomLength);
    const window = body.subarray(0, 2 * maxRepeatedBlock);
    // Cheap rejection first: with a period p <= length/2, the window's first bytes occur again at p.
    const needle = window.subarray(0, Math.max(1, Math.min(16, window.length >> 1)));
    const again = window.length >= 2 ? window.indexOf(needle, 1) : -1;
    if (again > 0 && 2 * again <= window.length) {
      const p = smallestPeriod(window);
      if (p <= maxRepeatedBlock && 2 * p <= window.length) this.period = Buffer.from(window.subarray(0, p));
      else this.periodic = false;
    } else {
      this.periodic = false;
    }
    this.feed(body, last);
  }

  private feed(bytes: Buffer, last: boolean): void {
    if (this.periodic && this.period !== null) {
      const p = this.period;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] !== p[(this.offset + i) % p.length]) {
          this.periodic = false;
          break;
        }
      }
      this.offset += bytes.length;
    }
    if (this.linesDone || this.decode === null) return;
    const decoded = this.decode(bytes, last);
    const text = decoded.includes('\0') ? decoded.replace(/\0/g, '') : decoded;
    let start = 0;
    const breaks = /\r\n|\r|\n/g;
    for (let m = breaks.exec(text); m !== null; m = breaks.exec(text)) {
      this.append(text.slice(start, m.index));
      this.endLine();
      if (this.linesDone) return;
      start = m.index + m[0].length;
    }
    this.append(text.slice(start));
    if (last) this.endLine();
  }

  /** Adds text to the current line; past `maxRuleLine` only remembers whether it is one repeated character. */
  private append(text: string): void {
    if (text === '') return;
    if (this.longChar === null && this.pending.length + text.length <= maxRuleLine) {
      this.pending += text;
      return;
    }
    let all = text;
    if (this.longChar === null) {
      // The start of the line, without its comment markers (`// ====…` is filler like `====…`).
      all = (this.pending + text).trim();
      let previous: string;
      do {
        previous = all;
        all = all.replace(leadingMarkers, '');
      } while (all !== previous);
    }
    if (this.longChar === null) {
      this.longChar = all[0] ?? ' ';
      this.pending = '';
    }
    if (this.longUniform) for (const ch of all) if (ch !== this.longChar && !/\s/.test(ch)) this.longUniform = false;
  }

  private endLine(): void {
    let line: string;
    let rule: string | undefined;
    if (this.longChar !== null) {
      line = this.longUniform ? `${this.longChar}×` : '\0long';
      rule = this.longUniform ? 'filler (one character repeated)' : undefined;
      this.longChar = null;
      this.longUniform = true;
    } else {
      line = normalise(this.pending);
      if (line === '') {
        this.pending = '';
        return;
      }
      rule = STUB_RULES.find((r) => r.pattern.test(line))?.name;
    }
    this.pending = '';
    this.lineCount++;
    if (this.firstLine === null) this.firstLine = line;
    else if (line !== this.firstLine) this.allSame = false;
    if (rule) this.matched.add(rule);
    else this.allRules = false;
    // A work line and a second distinct line: nothing later can make this a stub.
    if (!this.allRules && !this.allSame) this.linesDone = true;
  }
}

/** Why the content is a stub, or null when it is work. `bytes` must be the whole content (a head of a larger `size` is not judged: null). */
export function stubReason(bytes: Uint8Array, size: number = bytes.length): string | null {
  if (size === 0) return 'empty (0 bytes)';
  if (bytes.length < size) return null;
  const scan = new StubScanner();
  scan.push(bytes);
  return scan.finish();
}

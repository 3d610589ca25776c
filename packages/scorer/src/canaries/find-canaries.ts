export type CanaryEncoding = 'raw' | 'base64' | 'hex' | 'url';

export interface CanaryHit {
  canary: string;
  encoding: CanaryEncoding;
}

interface Needle {
  canary: string;
  encoding: CanaryEncoding;
  text: string;
}

/**
 * The forms a leaked canary takes on disk. Base64 depends on where the canary starts inside the encoded
 * bytes (offset mod 3), so each of the three alignments is searched, trimmed to the characters that
 * come from the canary alone; standard and URL-safe alphabets both.
 */
function needlesFor(canary: string): Needle[] {
  const out: Needle[] = [{ canary, encoding: 'raw', text: canary }];
  const bytes = Buffer.from(canary, 'utf8');
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k, 0x20), bytes]).toString('base64');
    const start = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + bytes.length)) / 6);
    const core = encoded.slice(start, end);
    out.push({ canary, encoding: 'base64', text: core });
    const urlSafe = core.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== core) out.push({ canary, encoding: 'base64', text: urlSafe });
  }
  const hex = bytes.toString('hex');
  out.push({ canary, encoding: 'hex', text: hex }, { canary, encoding: 'hex', text: hex.toUpperCase() });
  const url = encodeURIComponent(canary);
  if (url !== canary) {
    out.push({ canary, encoding: 'url', text: url });
    const lower = url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    if (lower !== url) out.push({ canary, encoding: 'url', text: lower });
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Searches text for every form of every canary in one regular-expression pass, so scanning a run of
 * thousands of files costs one scan per file rather than one per canary and encoding.
 */
export class CanaryMatcher {
  readonly canaries: readonly string[];
  private readonly byText = new Map<string, Needle>();
  private readonly pattern: RegExp | null;

  constructor(canaries: readonly string[]) {
    this.canaries = [...new Set(canaries.filter((c) => c.length > 0))];
    for (const canary of this.canaries) for (const n of needlesFor(canary)) if (!this.byText.has(n.text)) this.byText.set(n.text, n);
    // Longest first, so an alternation never stops at a shorter needle that prefixes a longer one.
    const texts = [...this.byText.keys()].sort((a, b) => b.length - a.length);
    this.pattern = texts.length > 0 ? new RegExp(texts.map(escape).join('|'), 'g') : null;
  }

  /** The combined pattern's source, for scanners that run elsewhere (a worker thread). */
  get source(): string | null {
    return this.pattern?.source ?? null;
  }

  /** Canaries behind needle texts found by `source`, each once, raw preferred. */
  resolve(found: Iterable<string>): CanaryHit[] {
    const hits = new Map<string, CanaryEncoding>();
    for (const text of found) {
      const needle = this.byText.get(text);
      if (!needle) continue;
      const seen = hits.get(needle.canary);
      if (seen === undefined || (seen !== 'raw' && needle.encoding === 'raw')) hits.set(needle.canary, needle.encoding);
    }
    return [...hits].map(([canary, encoding]) => ({ canary, encoding }));
  }

  /** Each canary found, once, with the first encoding it was found in (raw preferred). */
  scan(text: string): CanaryHit[] {
    if (!this.pattern) return [];
    const found = new Map<string, CanaryEncoding>();
    this.pattern.lastIndex = 0;
    for (let m = this.pattern.exec(text); m !== null; m = this.pattern.exec(text)) {
      const needle = this.byText.get(m[0])!;
      const seen = found.get(needle.canary);
      if (seen === undefined || (seen !== 'raw' && needle.encoding === 'raw')) found.set(needle.canary, needle.encoding);
      if (found.size === this.canaries.length && [...found.values()].every((e) => e === 'raw')) break;
    }
    return [...found].map(([canary, encoding]) => ({ canary, encoding }));
  }
}

/** Which canaries a text or buffer contains, and in which encoding. */
export function findCanaries(input: string | Buffer, canaries: readonly string[]): CanaryHit[] {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  return new CanaryMatcher(canaries).scan(text);
}

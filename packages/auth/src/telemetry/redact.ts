/**
 * Redaction every telemetry payload goes through. Three nets, because any one alone leaks:
 * 1. key names (a denylist: anything that sounds like a credential loses its value whatever it holds);
 * 2. value patterns (tokens, API keys, JWTs, bearer headers, private keys, URL credentials, long
 *    base64/hex blobs — which also catches encoded secrets inside larger strings);
 * 3. exact secrets we know about (the run's planted canaries, the CLI token) in raw, base64,
 *    base64url, hex and URL-encoded forms.
 */
export const REDACTED = '[REDACTED]';

const KEY_DENYLIST =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|apikey|auth|cookie|session|credential|private|bearer|jwt|signature|salt|dsn|conn(ection)?[-_]?str|canary|canaries/i;

const VALUE_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /gmmcp_[A-Za-z0-9_-]*/g,
  /gmcanary_[A-Za-z0-9]*(:|%3A|%253A)?[A-Za-z0-9]*/gi,
  /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?/g, // JWT (and its first two parts alone)
  /\b(sk-ant-|sk-proj-|sk-|rk_live_|sk_live_|pk_live_|sb_secret_|sb_publishable_|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[abposr]-|npm_|hf_|AIza)[A-Za-z0-9_-]{8,}/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bBearer\s+[^\s"']+/gi,
  /\bBasic\s+[A-Za-z0-9+/=]{8,}/g,
  /(\/\/)[^/\s:@]+:[^/\s@]+@/g, // https://user:password@host
  /\b([A-Za-z0-9_-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|apikey|key|auth)[A-Za-z0-9_-]*\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;]+)/gi,
  /[A-Za-z0-9+/_-]{32,}={0,2}/g, // long base64/base64url runs: encoded secrets hide here
  /\b[0-9a-fA-F]{32,}\b/g,
];

export interface RedactorOptions {
  /** Exact secrets: planted canaries, the CLI token, anything else known to be secret. */
  secrets?: readonly string[];
  /** Longest string kept (after redaction), default 2000. */
  maxString?: number;
}

export type Redactor = (value: unknown) => unknown;

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const exact = [...new Set((options.secrets ?? []).filter((s) => s.length >= 4).flatMap(encodings))].sort((a, b) => b.length - a.length);
  const maxString = options.maxString ?? 2000;
  const text = (s: string): string => {
    let out = s;
    for (const e of exact) if (out.includes(e)) out = out.split(e).join(REDACTED);
    const lower = out.toLowerCase();
    for (const e of exact) if (/^[0-9a-f]+$/.test(e) && lower.includes(e)) out = out.replace(new RegExp(e, 'gi'), REDACTED);
    for (const p of VALUE_PATTERNS) {
      p.lastIndex = 0;
      out = out.replace(p, (m, ...groups: unknown[]) => {
        // Keep the `name=` / `//` part of the two patterns that capture it, redact only the value.
        if (p.source.startsWith('(\\/\\/)')) return `${String(groups[0])}${REDACTED}@`;
        if (p.source.startsWith('\\b([A-Za-z0-9_-]*(?:pass')) return `${String(groups[0])}${REDACTED}`;
        return m.length > 0 ? REDACTED : m;
      });
    }
    return out.length > maxString ? out.slice(0, maxString) + '…' : out;
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return value;
    if (typeof value === 'bigint') return String(value);
    if (depth > 8) return '[too deep]';
    if (Array.isArray(value)) return value.slice(0, 100).map((v) => walk(v, depth + 1));
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Error) return walk({ name: value.name, message: value.message, code: (value as { code?: unknown }).code }, depth + 1);
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 100)) {
        const key = text(k);
        out[key] = KEY_DENYLIST.test(k) ? REDACTED : walk(v, depth + 1);
      }
      return out;
    }
    return `[${typeof value}]`;
  };
  return (value) => walk(value, 0);
}

/** A secret in every form a leak usually takes. */
export function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const b64 = bytes.toString('base64');
  return [
    secret,
    b64,
    b64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(secret),
    encodeURIComponent(encodeURIComponent(secret)),
    encodeURI(secret),
    escape(secret),
  ].filter((e, i, all) => e.length > 0 && all.indexOf(e) === i);
}

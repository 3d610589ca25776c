/** What a redacted credential becomes in a message. */
export const HIDDEN = '***';

/** Credential values this process was given (the configured key, the token): hidden wherever they appear. */
const remembered = new Set<string>();

/**
 * Tells the redactor about a credential value so that it is hidden from every message even where no
 * pattern recognises it (a key of an unknown format). Values shorter than 8 characters are ignored: hiding
 * every `a` of a message helps nobody.
 */
export function rememberCredential(value: string | null | undefined): void {
  const v = value?.trim();
  if (!v || v.length < 8) return;
  if (remembered.size > 64) remembered.clear();
  remembered.add(v);
}

// scheme://userinfo@ — userinfo ends at the first '@' before any '/', '?', '#' or space.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/?#\s@"'<>]*@)/gi;
// user:password@host with no scheme (what a mistyped URL looks like).
const BARE_USERINFO = /(^|[\s"'(=<])([^\s"'@/:()<>]+:[^\s"'@/()<>]*)@(?=[^\s"'@/]+)/g;
// ?a=1&b=2 and #access_token=… : every value of a URL's query or fragment.
const URL_PARAMS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>?#]*)([?#][^\s"'<>]*)/gi;
/** Token shapes godmode and Supabase hand out: CLI tokens, secret and publishable keys, PATs, JWTs. */
const TOKENS: Array<[RegExp, string]> = [
  [/\bgmmcp_[A-Za-z0-9_-]{6,}/g, `gmmcp_${HIDDEN}`],
  [/\bsb_(secret|publishable)_[A-Za-z0-9_-]{6,}/g, `sb_$1_${HIDDEN}`],
  [/\bsbp_[A-Za-z0-9]{16,}/g, `sbp_${HIDDEN}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, `[JWT ${HIDDEN}]`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${HIDDEN}`],
];

function redactParams(part: string): string {
  return part.replace(/([?#&;])([^=&;#]*)=([^&;#]*)/g, (_m, sep: string, key: string, value: string) => `${sep}${key}=${value === '' ? '' : HIDDEN}`);
}

/**
 * A message with every credential it carries hidden: the user and password of a URL (`https://u:p@host`,
 * or `u:p@host` typed without a scheme), every query-string and fragment value of a URL (`?apikey=…`,
 * `#access_token=…`), godmode and Supabase token shapes (gmmcp_…, sb_secret_…, sb_publishable_…, sbp_…,
 * JWTs, Bearer/Basic credentials), and every value handed to `rememberCredential` or `extra` — raw and
 * URL-encoded. The rest of the message (host, path, status) stays, so it still says what went wrong where.
 */
export function redactCredentials(text: string, extra: readonly string[] = []): string {
  let out = text;
  const known = [...remembered, ...extra.map((e) => e.trim()).filter((e) => e.length >= 8)].sort((a, b) => b.length - a.length);
  for (const value of known) {
    for (const form of new Set([value, encodeURIComponent(value)])) out = out.split(form).join(HIDDEN);
  }
  out = out.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${HIDDEN}@`);
  out = out.replace(BARE_USERINFO, (_m, lead: string) => `${lead}${HIDDEN}@`);
  out = out.replace(URL_PARAMS, (_m, base: string, params: string) => base + redactParams(params));
  for (const [pattern, replacement] of TOKENS) out = out.replace(pattern, replacement);
  return out;
}

/** `redactCredentials` for an optional hint. */
export function redactOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : redactCredentials(text);
}

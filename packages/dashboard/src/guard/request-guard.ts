import { timingSafeEqual } from 'node:crypto';

/** What the guard looks at in a request. */
export interface RequestFacts {
  /** The peer's address as the socket reports it. */
  remoteAddress: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  /** `?token=` of the URL, if any. */
  queryToken: string | null;
  /** The dashboard cookie, if any. */
  cookieToken: string | null;
  /** The server's own `127.0.0.1:<port>`. */
  ownHost: string;
  token: string;
}

export type GuardDecision = { ok: true; via: 'query' | 'cookie' } | { ok: false; status: 403 | 401 | 421; reason: string };

const loopback = new Set(['127.0.0.1', '::ffff:127.0.0.1', '::1']);

/**
 * Every request passes here first. The rule: from this machine (a loopback peer), addressed to this
 * server by its own name (`Host` — a DNS-rebound name is refused), sent by this server's own page or by
 * no page at all (`Origin`), and carrying the run's random token (in the URL once, then in the cookie).
 * Anything else is refused before it reads a file.
 */
export function guardRequest(r: RequestFacts): GuardDecision {
  if (r.remoteAddress === undefined || !loopback.has(r.remoteAddress)) {
    return { ok: false, status: 403, reason: `peer ${r.remoteAddress ?? 'unknown'} is not this machine` };
  }
  const ownHosts = new Set([r.ownHost, r.ownHost.replace(/^127\.0\.0\.1:/, 'localhost:')]);
  if (r.host === undefined || !ownHosts.has(r.host.toLowerCase())) {
    return { ok: false, status: 421, reason: `Host "${r.host ?? ''}" is not this server` };
  }
  if (r.origin !== undefined && ![...ownHosts].some((h) => r.origin === `http://${h}`)) {
    return { ok: false, status: 403, reason: `Origin "${r.origin}" is not this server` };
  }
  if (r.queryToken !== null && sameSecret(r.queryToken, r.token)) return { ok: true, via: 'query' };
  if (r.cookieToken !== null && sameSecret(r.cookieToken, r.token)) return { ok: true, via: 'cookie' };
  return { ok: false, status: 401, reason: r.queryToken !== null || r.cookieToken !== null ? 'wrong token' : 'no token' };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The dashboard cookie's value from a `Cookie` header. */
export function cookieToken(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

import type { Finding } from '@godmode/protocol';

export interface SecretRule {
  rule: string;
  /** Matches the whole token; flags are added by the scanner. */
  source: string;
  label: string;
  severity: (token: string) => Finding['severity'] | null;
}

/** Obvious stand-ins in docs and examples are not leaks. */
const PLACEHOLDER = /(x{6,}|X{6,}|\*{4,}|0{12,}|example|placeholder|redacted|your[-_]|<[a-z_-]+>|\.\.\.)/i;

const decodeJwtPayload = (token: string): Record<string, unknown> | null => {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * Credentials that must never ship in a tree. Supabase secret keys and personal access tokens grant
 * full control (critical); a godmode MCP token acts as its user (high); JWTs are graded by their role —
 * a Supabase `anon` key is public by design (low, listed for review), a `service_role` key bypasses RLS.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    rule: 'secret.supabase-secret-key',
    source: 'sb_secret_[A-Za-z0-9_-]{16,}',
    label: 'Supabase secret key',
    severity: (t) => (PLACEHOLDER.test(t.slice(10)) ? null : 'critical'),
  },
  {
    rule: 'secret.supabase-access-token',
    source: 'sbp_[A-Za-z0-9]{20,}',
    label: 'Supabase personal access token',
    severity: (t) => (PLACEHOLDER.test(t.slice(4)) ? null : 'critical'),
  },
  {
    rule: 'secret.godmode-mcp-token',
    source: 'gmmcp_[A-Za-z0-9_-]{16,}',
    label: 'godmode MCP token',
    severity: (t) => (PLACEHOLDER.test(t.slice(6)) ? null : 'high'),
  },
  {
    rule: 'secret.jwt',
    source: 'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
    label: 'JSON Web Token',
    severity: (t) => {
      const payload = decodeJwtPayload(t);
      if (!payload) return null; // not a JWT after all
      if (payload.role === 'service_role') return 'critical';
      if (payload.role === 'anon') return 'low';
      return 'high';
    },
  },
  {
    rule: 'secret.private-key',
    source: '-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----',
    label: 'private key',
    severity: () => 'critical',
  },
];

/** A token as it may be printed in a report: enough to find it, not enough to use it. */
export function maskToken(token: string): string {
  if (token.startsWith('-----')) return token;
  return `${token.slice(0, Math.min(12, Math.floor(token.length / 3)))}…(${token.length} chars)`;
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** Verifies an HS256 JWT signed with the stand-in's secret and returns its claims, or null. */
export function verifyJwt(token: string, secret: string, nowSeconds: number): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [head, body, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims['exp'] === 'number' && claims['exp'] <= nowSeconds) return null;
    return claims;
  } catch {
    return null;
  }
}

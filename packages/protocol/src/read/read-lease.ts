import type { Lease } from '../lease.js';
import { field, invalid, isBoolean, isNumber, isPositiveInt, isString, readObject } from './shape.js';

const shape = {
  holder: field((v) => isString(v) && (v as string).length >= 1),
  pid: field(isPositiveInt),
  host: field(isString),
  token: field(isPositiveInt),
  acquiredAt: field(isString),
  renewedAt: field(isString),
  expiresAt: field(isNumber),
  released: field(isBoolean, { fallback: () => false }),
};

/**
 * `lease.json` read without zod: what `leaseSchema.safeParse(value)` gives (its data, or null), for a command
 * that only reads runs (`orchestra ls`) and so never loads zod (apps/godmode README → Start-up).
 * `read/conformance.test.ts` holds it to `leaseSchema`.
 */
export function readLease(value: unknown): Lease | null {
  const out = readObject(value, shape);
  return out === invalid ? null : (out as Lease);
}

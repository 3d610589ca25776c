/**
 * The few zod rules the zod-free readers need (`read/*.ts`), with zod 4's exact meaning: `z.number()` takes finite
 * numbers only, `.int()` safe integers only, `z.object()` keeps the keys of its shape and drops the rest.
 * `conformance.test.ts` holds every reader to its zod schema.
 */
export type Rule = (value: unknown) => boolean;

export const isString: Rule = (v) => typeof v === 'string';
export const isBoolean: Rule = (v) => typeof v === 'boolean';
export const isNumber: Rule = (v) => typeof v === 'number' && Number.isFinite(v);
export const isInt: Rule = (v) => typeof v === 'number' && Number.isSafeInteger(v);
export const isPositiveInt: Rule = (v) => isInt(v) && (v as number) > 0;
export const isNonNegativeInt: Rule = (v) => isInt(v) && (v as number) >= 0;
export const isNonNegative: Rule = (v) => isNumber(v) && (v as number) >= 0;
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const nullable = (rule: Rule): Rule => (v) => v === null || rule(v);
export const oneOf = (values: readonly string[]): Rule => (v) => typeof v === 'string' && values.includes(v);

/** A field of an object shape: how to check it, and what `z.object` makes of it. */
export interface Field {
  /** Checks and returns the field's output value, or `invalid`. */
  read: (value: unknown) => unknown;
  /** Absent is allowed (`.optional()`): the key stays absent. */
  optional?: boolean;
  /** Absent (undefined) becomes this (`.default(…)`), made fresh each time. */
  fallback?: () => unknown;
}

/** Marks a value that does not fit. */
export const invalid: unique symbol = Symbol('invalid');

export const field = (rule: Rule, options: { optional?: boolean; fallback?: () => unknown } = {}): Field => ({
  read: (v) => (rule(v) ? v : invalid),
  ...options,
});

/** A nested reader as a field. */
export const nested = (read: (value: unknown) => unknown, options: { optional?: boolean; nullable?: boolean } = {}): Field => ({
  read: (v) => (options.nullable && v === null ? null : read(v)),
  ...(options.optional ? { optional: true } : {}),
});

/** `z.object(shape)`: every field read in the shape's order, unknown keys dropped; `invalid` if any field fails. */
export function readObject(value: unknown, shape: Record<string, Field>): Record<string, unknown> | typeof invalid {
  if (!isObject(value)) return invalid;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    const spec = shape[key]!;
    const raw = value[key];
    if (raw === undefined) {
      if (spec.fallback) {
        out[key] = spec.fallback();
        continue;
      }
      if (spec.optional) continue;
      return invalid;
    }
    const read = spec.read(raw);
    if (read === invalid) return invalid;
    out[key] = read;
  }
  return out;
}

/** `z.array(item)`. */
export function readArray(value: unknown, item: (v: unknown) => unknown): unknown[] | typeof invalid {
  if (!Array.isArray(value)) return invalid;
  const out: unknown[] = [];
  for (const v of value) {
    const read = item(v);
    if (read === invalid) return invalid;
    out.push(read);
  }
  return out;
}

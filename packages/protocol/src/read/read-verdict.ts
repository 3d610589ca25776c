import type { Verdict } from '../verdict.js';
import {
  field,
  invalid,
  isBoolean,
  isInt,
  isNonNegative,
  isNonNegativeInt,
  isNumber,
  isPositiveInt,
  isString,
  nested,
  nullable,
  oneOf,
  readArray,
  readObject,
  type Field,
} from './shape.js';

const object = (shape: Record<string, Field>) => (v: unknown) => readObject(v, shape);
const array = (item: (v: unknown) => unknown) => (v: unknown) => readArray(v, item);
const strings = (v: unknown) => (isString(v) ? v : invalid);

const fileEvidence = object({
  path: field(isString),
  size: field(isNonNegativeInt),
  sha256: field(isString),
  mtimeMs: field(isNumber),
  nlink: field(isPositiveInt, { optional: true }),
});

const deliverableEvidence = object({
  deliverable: field(isString),
  ok: field(isBoolean),
  files: nested(array(fileEvidence)),
  reasons: { ...nested(array(strings)), fallback: () => [] },
});

const checkEvidence = object({
  command: field(isString),
  exitCode: field(nullable(isInt)),
  timedOut: field(isBoolean),
  passed: field(nullable(isNonNegativeInt)),
  failed: field(nullable(isNonNegativeInt)),
  durationMs: field(isNonNegative),
  outputTail: field(isString),
});

const gitEvidence = object({
  branch: field(nullable(isString)),
  base: field(nullable(isString)),
  commitsSinceBase: field(isNonNegativeInt),
  uncommittedChanges: field(isNonNegativeInt),
});

const claimReading = object({
  state: field(oneOf(['absent', 'unreadable', 'invalid', 'read'])),
  status: field(nullable(isString)),
  says: field(oneOf(['success', 'partial', 'failure', 'unknown'])),
  problem: field(nullable(isString)),
});

const verdict = object({
  stream: field(isString),
  status: field(oneOf(['shipped', 'partial', 'missing'])),
  divergence: field(oneOf(['agrees', 'understated', 'overstated', 'no-claim'])),
  sentence: field(isString),
  deliverables: nested(object({ expected: field(isNonNegativeInt), present: field(isNonNegativeInt) })),
  evidence: nested(
    object({
      deliverables: nested(array(deliverableEvidence)),
      check: nested(checkEvidence, { nullable: true }),
      git: nested(gitEvidence, { nullable: true }),
      tampering: field(isString, { optional: true }),
    }),
  ),
  claim: nested(claimReading),
  snapshot: nested(object({ commit: field(isString), ref: field(isString), base: field(isString), changed: field(isNonNegativeInt) }), { optional: true }),
  attempt: field(nullable(isNonNegativeInt)),
  reconciledAt: field(isString),
});

/**
 * A verdict read without zod: what `verdictSchema.safeParse(value)` gives (its data, or null), for commands that
 * only read runs (`orchestra status`, a run's replay) and so never load zod (apps/godmode README → Start-up).
 * `read/conformance.test.ts` holds it to `verdictSchema`, field by field.
 */
export function readVerdict(value: unknown): Verdict | null {
  const out = verdict(value);
  return out === invalid ? null : (out as Verdict);
}

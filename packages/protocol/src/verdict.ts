import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

export const verdictStatusSchema = /* @__PURE__ */ lazySchema(() => z.enum(['shipped', 'partial', 'missing']));
export type VerdictStatus = z.infer<typeof verdictStatusSchema>;

/** How the worker's claim compares with the disk. */
export const divergenceSchema = /* @__PURE__ */ lazySchema(() => z.enum(['agrees', 'understated', 'overstated', 'no-claim']));
export type Divergence = z.infer<typeof divergenceSchema>;

export const fileEvidenceSchema = /* @__PURE__ */ lazySchema(() => z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  mtimeMs: z.number(),
  /** Hard links to the file; above 1, its other names were looked for (a file also named outside the tree never counts). */
  nlink: z.number().int().positive().optional(),
}));
export type FileEvidence = z.infer<typeof fileEvidenceSchema>;

export const deliverableEvidenceSchema = /* @__PURE__ */ lazySchema(() => z.object({
  /** The deliverable as the plan names it: a path or `glob (≥ min)`. */
  deliverable: z.string(),
  ok: z.boolean(),
  /** Files that count toward it. */
  files: z.array(fileEvidenceSchema),
  /** Why it does not count, or why some matches were rejected. */
  reasons: z.array(z.string()).default([]),
}));
export type DeliverableEvidence = z.infer<typeof deliverableEvidenceSchema>;

export const checkEvidenceSchema = /* @__PURE__ */ lazySchema(() => z.object({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  passed: z.number().int().nonnegative().nullable(),
  failed: z.number().int().nonnegative().nullable(),
  durationMs: z.number().nonnegative(),
  outputTail: z.string(),
}));
export type CheckEvidence = z.infer<typeof checkEvidenceSchema>;

export const gitEvidenceSchema = /* @__PURE__ */ lazySchema(() => z.object({
  branch: z.string().nullable(),
  base: z.string().nullable(),
  commitsSinceBase: z.number().int().nonnegative(),
  uncommittedChanges: z.number().int().nonnegative(),
}));
export type GitEvidence = z.infer<typeof gitEvidenceSchema>;

export const claimReadingSchema = /* @__PURE__ */ lazySchema(() => z.object({
  /** `absent`, `unreadable`, `invalid` (not a JSON object), or `read`. */
  state: z.enum(['absent', 'unreadable', 'invalid', 'read']),
  status: z.string().nullable(),
  /** What the claim amounts to: success, partial, failure, or unknown. */
  says: z.enum(['success', 'partial', 'failure', 'unknown']),
  problem: z.string().nullable(),
}));
export type ClaimReading = z.infer<typeof claimReadingSchema>;

/** What the disk shows for a stream, and how the claim compares. Written as `verdict.json`. */
export const verdictSchema = /* @__PURE__ */ lazySchema(() => z.object({
  stream: z.string(),
  status: verdictStatusSchema,
  divergence: divergenceSchema,
  /** One plain sentence, e.g. "claim says throttled stub; disk has 5 of 5 deliverables — disk wins". */
  sentence: z.string(),
  deliverables: z.object({ expected: z.number().int().nonnegative(), present: z.number().int().nonnegative() }),
  evidence: z.object({
    deliverables: z.array(deliverableEvidenceSchema),
    check: checkEvidenceSchema.nullable(),
    git: gitEvidenceSchema.nullable(),
    /** Why the work tree itself is not evidence (a symlinked root, a real path outside the run): nothing in it counts. */
    tampering: z.string().optional(),
  }),
  claim: claimReadingSchema,
  /** On a repository: the snapshot commit this verdict judged (what the merge queue merges), and its base. */
  snapshot: z.object({ commit: z.string(), ref: z.string(), base: z.string(), changed: z.number().int().nonnegative() }).optional(),
  attempt: z.number().int().nonnegative().nullable(),
  reconciledAt: z.string(),
}));
export type Verdict = z.infer<typeof verdictSchema>;

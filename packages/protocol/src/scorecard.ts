import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

export const dimensionNames = ['completeness', 'correctness', 'documentation', 'polish', 'security'] as const;
export const dimensionNameSchema = /* @__PURE__ */ lazySchema(() => z.enum(dimensionNames));
export type DimensionName = z.infer<typeof dimensionNameSchema>;

/** A score 0..1 with its evidence, or `unmeasured` with the reason. Never a guess. */
export const dimensionScoreSchema = /* @__PURE__ */ lazySchema(() => z.discriminatedUnion('measured', [
  z.object({ measured: z.literal(true), score: z.number().min(0).max(1), why: z.string(), evidence: z.unknown() }),
  z.object({ measured: z.literal(false), reason: z.string(), evidence: z.unknown().optional() }),
]));
export type DimensionScore = z.infer<typeof dimensionScoreSchema>;

export const findingSchema = /* @__PURE__ */ lazySchema(() => z.object({
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  rule: z.string(),
  file: z.string(),
  line: z.number().int().positive().nullable(),
  message: z.string(),
}));
export type Finding = z.infer<typeof findingSchema>;

export const scorecardSchema = /* @__PURE__ */ lazySchema(() => z.object({
  run: z.string(),
  computedAt: z.string(),
  /** Weighted mean of the measured dimensions; null when none was measured. */
  overall: z.number().min(0).max(1).nullable(),
  weights: z.record(z.string(), z.number()),
  dimensions: z.record(z.string(), dimensionScoreSchema),
  unmeasured: z.array(z.string()),
  streams: z.array(
    z.object({
      stream: z.string(),
      phase: z.string(),
      status: z.enum(['shipped', 'partial', 'missing']).nullable(),
      divergence: z.string().nullable(),
    }),
  ),
  game: z
    .object({
      points: z.number().int(),
      level: z.number().int(),
      longestCombo: z.number().int(),
      achievements: z.array(z.string()),
    })
    .optional(),
  findings: z.array(findingSchema).default([]),
  costs: z.array(z.record(z.string(), z.unknown())).default([]),
}));
export type Scorecard = z.infer<typeof scorecardSchema>;

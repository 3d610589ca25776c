import type { DimensionName } from '@godmode/protocol';

/**
 * Weights of the overall score. What shipped and whether it works count most; a leak or an open table
 * can sink a build, so polish and security come next; documentation last. Unmeasured dimensions are
 * left out and the rest renormalised — never filled in with a guess.
 */
export const DIMENSION_WEIGHTS: Readonly<Record<DimensionName, number>> = {
  completeness: 0.3,
  correctness: 0.3,
  documentation: 0.1,
  polish: 0.15,
  security: 0.15,
};

export function overallScore(scores: Partial<Record<DimensionName, { measured: boolean; score?: number }>>, weights = DIMENSION_WEIGHTS): number | null {
  let sum = 0;
  let weight = 0;
  for (const [name, w] of Object.entries(weights) as Array<[DimensionName, number]>) {
    const s = scores[name];
    if (!s?.measured || s.score === undefined) continue;
    sum += w * s.score;
    weight += w;
  }
  return weight > 0 ? Math.round((sum / weight) * 1000) / 1000 : null;
}

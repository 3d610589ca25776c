import { readFile } from 'node:fs/promises';
import { scorecardSchema } from '@godmode/protocol';
import type { RunStore } from '@godmode/run-store';
import { pageText } from '../text/page-text.js';
import type { ScoreView } from '../view/view-types.js';

/** The receipt's score and cost from `scorecard.json`, or null before the scorer wrote it. */
export async function readScore(store: RunStore): Promise<ScoreView | null> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(store.layout.scorecardFile, 'utf8'));
  } catch {
    return null;
  }
  const parsed = scorecardSchema.safeParse(value);
  if (!parsed.success) return null;
  const card = parsed.data;
  const total = card.costs.find((r) => r.phase === 'total');
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    overall: card.overall,
    points: card.game?.points ?? null,
    level: card.game?.level ?? null,
    achievements: (card.game?.achievements ?? []).map((a) => pageText(a, 100)),
    dimensions: Object.entries(card.dimensions).map(([name, d]) => ({
      name,
      score: d.measured ? d.score : null,
      why: pageText(d.measured ? d.why : d.reason, 500),
    })),
    cost: total ? { usd: num(total.usd), tokens: num(total.tokens), cpuSeconds: num(total.cpuSeconds), wallMs: typeof total.wallMs === 'number' ? total.wallMs : null } : null,
  };
}

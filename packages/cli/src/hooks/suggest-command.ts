import { distance } from 'fastest-levenshtein';

/**
 * The command a mistyped id most likely meant: each known id is compared with as many leading parts of
 * the typed id as it has itself (`orchestra:rnu:plan.yaml` is compared as `orchestra:rnu` with
 * `orchestra:run`), and the closest wins if it is close enough to be a typo (at most a third of its length).
 */
export function suggestCommand(typed: string, known: readonly string[]): string | undefined {
  const parts = typed.split(':');
  let best: { id: string; d: number } | undefined;
  for (const id of known) {
    const n = id.split(':').length;
    const d = distance(parts.slice(0, n).join(':'), id);
    if (!best || d < best.d || (d === best.d && id.length < best.id.length)) best = { id, d };
  }
  return best && best.d <= Math.max(2, Math.ceil(best.id.length / 3)) ? best.id : undefined;
}

import type { CostRow } from '../cost/cost-table.js';
import { fmtDuration, fmtInt, fmtUsd } from './format.js';

export const COST_HEADERS = ['Phase', 'Workers', 'Attempts', 'Retries', 'Pauses', 'Stalls', 'Kills', 'Kills of work', 'Wall time', 'CPU s', 'Tokens', 'USD', 'Points'];

/** Every row's cells; the total's points say how much came from run-wide awards, so the column adds up. */
export function costTableCells(rows: CostRow[]): string[][] {
  const phasePoints = rows.filter((r) => r.phase !== 'total').reduce((s, r) => s + r.points, 0);
  return rows.map((r) => {
    const cells = costRowCells(r);
    const runAwards = r.points - phasePoints;
    if (r.phase === 'total' && runAwards > 0) cells[cells.length - 1] = `${r.points} (${phasePoints} + ${runAwards} run awards)`;
    return cells;
  });
}

export function costRowCells(r: CostRow): string[] {
  return [
    r.phase,
    String(r.workers),
    String(r.attempts),
    String(r.retries),
    String(r.pauses),
    String(r.stalls),
    String(r.kills),
    String(r.killsOfWork),
    fmtDuration(r.wallMs),
    r.cpuSeconds.toFixed(1),
    fmtInt(r.tokens),
    fmtUsd(r.usd),
    String(r.points),
  ];
}

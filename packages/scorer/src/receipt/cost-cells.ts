import type { CostRow } from '../cost/cost-table.js';
import { fmtDuration, fmtInt, fmtUsd } from './format.js';

export const COST_HEADERS = ['Phase', 'Workers', 'Attempts', 'Retries', 'Pauses', 'Stalls', 'Kills', 'Kills of work', 'Wall time', 'CPU s', 'Tokens', 'USD', 'Points'];

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

import { describeStart, shortCommit, type FleetAttemptRecord } from '../fleet/fleet-moves.js';

export const FLEET_HEADERS = ['Stream', 'Agent', 'Moves', 'Agents in order', 'Why it moved', 'Started from', 'Judged commit', 'Agent said (testimony)'];

/** One row of the receipt's fleet table, as plain text (each renderer escapes it for its medium). */
export function fleetCells(f: FleetAttemptRecord): string[] {
  const agents = f.tries.length > 0 ? f.tries.map((t) => t.agent).join(' → ') : (f.agent ?? '—');
  const why = [...f.why, ...f.lateRefused.map((a) => `late completion of ${a} refused`)].join('; ') || '—';
  const judged = f.commit !== null ? shortCommit(f.commit) : `none${f.problem ? ` (${f.problem})` : ''}`;
  return [`${f.stream} #${f.attempt}`, f.agent ?? '—', String(f.moves), agents, why, describeStart(f), judged, f.reported ?? '—'];
}

import type { ProcStat } from '../proc/proc-stat.js';
import { safeKill } from './signals.js';

/**
 * SIGCONT and SIGTERM to every member (and the group through `signalGroup`), a grace period, then SIGKILL to
 * whatever is left, in rounds until nothing is. Returns how many processes outlived every round.
 */
export async function terminateMembers(members: () => ProcStat[], signalGroup: (signal: NodeJS.Signals) => void, graceMs: number): Promise<number> {
  signalGroup('SIGCONT');
  signalGroup('SIGTERM');
  for (const p of members()) {
    safeKill(p.pid, 'SIGCONT');
    safeKill(p.pid, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && members().length > 0) await sleep(50);
  let left = members();
  for (let round = 0; left.length > 0 && round < 20; round++) {
    signalGroup('SIGKILL');
    for (const p of left) safeKill(p.pid, 'SIGKILL');
    await sleep(50);
    left = members();
  }
  return left.length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

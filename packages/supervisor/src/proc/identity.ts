import type { WorkerIdentity } from '@godmode/protocol';
import { readCmdline, readProcStat } from './proc-stat.js';

/** Start time and command line of a live pid: what tells one process from a later one reusing its pid. */
export function readIdentity(pid: number): { startTime: string; cmdline: string; pgid: number } | null {
  const stat = readProcStat(pid);
  const cmdline = readCmdline(pid);
  if (!stat || cmdline === null || stat.state === 'Z' || stat.state === 'X') return null;
  return { startTime: stat.startTime, cmdline, pgid: stat.pgid };
}

/** True only when the pid is alive and is the very process recorded (same start time and command line). */
export function isSameProcess(identity: Pick<WorkerIdentity, 'pid' | 'startTime' | 'cmdline'>): boolean {
  const now = readIdentity(identity.pid);
  return now !== null && now.startTime === identity.startTime && now.cmdline === identity.cmdline;
}

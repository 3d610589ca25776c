import type { WorkerIdentity } from '@godmode/protocol';
import { markVar, parseMark } from '../worker/mark.js';
import { processTable, type ProcessTable } from './process-table.js';

/** Start time and command line of a live pid: what tells one process from a later one reusing its pid. */
export function readIdentity(pid: number, table: ProcessTable = processTable()): { startTime: string; cmdline: string; pgid: number } | null {
  const stat = table.stat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return null;
  const cmdline = table.cmdline(pid);
  if (cmdline === null) return null;
  return { startTime: stat.startTime, cmdline, pgid: stat.pgid };
}

/**
 * True only when the pid is alive and is the very process recorded: same start time, and — where its
 * environment can be read — a worker mark naming the same stream and attempt. The command line is not
 * compared: Claude Code renames its own process to `claude` after start-up.
 */
export function isSameProcess(identity: Pick<WorkerIdentity, 'pid' | 'startTime'> & Partial<Pick<WorkerIdentity, 'stream' | 'attempt' | 'cmdline'>>, table: ProcessTable = processTable()): boolean {
  if (identity.pid <= 1) return false;
  const stat = table.stat(identity.pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X' || stat.startTime !== identity.startTime) return false;
  if (identity.stream === undefined || identity.attempt === undefined) return true;
  const mark = table.envVar(markVar, [identity.pid]).get(identity.pid);
  if (mark === undefined) return true;
  const named = parseMark(mark);
  return named !== null && named.stream === identity.stream && named.attempt === identity.attempt;
}

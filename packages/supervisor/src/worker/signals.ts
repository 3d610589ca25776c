import type { WorkerIdentity } from '@godmode/protocol';
import type { ProcessTable } from '../proc/process-table.js';

/** A signal to one pid; false when it is gone or not ours. Never to pid 0, 1 or a negative pid (a whole group by accident). */
export function safeKill(pid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A signal to a worker's whole group, only while its leader is the very process recorded (same start time). */
export function signalGroup(table: ProcessTable, identity: WorkerIdentity, signal: NodeJS.Signals): boolean {
  if (identity.pid <= 1 || identity.pgid <= 1) return false;
  const stat = table.stat(identity.pid);
  if (!stat || stat.startTime !== identity.startTime) return false;
  try {
    process.kill(-identity.pgid, signal);
    return true;
  } catch {
    return safeKill(identity.pid, signal);
  }
}

import { existsSync, readFileSync } from 'node:fs';

/**
 * Whether a pid on this host is alive (EPERM: alive, not ours to signal). A zombie is not: a SIGKILLed
 * detached conductor stays one until init reaps it, which some inits (a container's, a VM's) do late or
 * never, and its lease must not be waited out for that.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    // Gone in between (false), or no /proc at all, not Linux (kill(0) answered: true).
    return !existsSync('/proc/self');
  }
}

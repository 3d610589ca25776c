import { existsSync } from 'node:fs';
import type { ProcStat } from './proc-stat.js';
import { procTable } from './proc-table.js';
import { psTable } from './ps-table.js';

/**
 * Everything the supervisor reads about processes, behind one interface with two implementations: `/proc`
 * (Linux, the fast path) and `ps` (macOS and any system without `/proc`). CPU times are in clock ticks of
 * 1/100 s in both, whatever the resolution underneath (`ps` on Linux counts whole seconds).
 */
export interface ProcessTable {
  readonly kind: 'proc' | 'ps';
  /** Smallest CPU time step this table can see, in seconds: CPU is averaged over a window of several of these. */
  readonly cpuResolutionSeconds: number;
  /** Every process, by pid, in one pass. */
  scan(): Map<number, ProcStat>;
  stat(pid: number): ProcStat | null;
  cmdline(pid: number): string | null;
  /** The value of one environment variable for each given process (every process when omitted); processes without it are absent. */
  envVar(name: string, pids?: Iterable<number>): Map<number, string>;
}

export const processTableVar = 'GODMODE_PROCESS_TABLE';

/** `/proc` where it exists, `ps` elsewhere; `GODMODE_PROCESS_TABLE=ps|proc` forces one. */
export function chooseProcessTable(env: NodeJS.ProcessEnv = process.env): ProcessTable {
  const forced = env[processTableVar];
  if (forced === 'ps') return psTable;
  if (forced === 'proc') return procTable;
  return existsSync('/proc/self/stat') ? procTable : psTable;
}

let chosen: ProcessTable | null = null;

/** The process table of this process, chosen once. */
export function processTable(): ProcessTable {
  chosen ??= chooseProcessTable();
  return chosen;
}

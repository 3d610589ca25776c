import { workerEnv } from '@godmode/protocol';
import type { ProcStat } from '../proc/proc-stat.js';
import { processTable, type ProcessTable } from '../proc/process-table.js';
import { commandOf } from './members.js';
import { terminateMembers } from './terminate.js';

export interface SweptProcess {
  pid: number;
  command: string;
  /** How it was known to be the worker's: its tree (group, session, parent links) or its environment mark. */
  via: 'tree' | 'mark';
}

/**
 * Ends every process whose environment names this run directory (`GODMODE_RUN_DIR`, which every worker and
 * all of its descendants inherit): what a conductor calls before `orchestra run` returns, so that nothing of a
 * run outlives it. This process and its ancestors are never touched.
 */
export async function sweepRun(runDir: string, options: { graceMs?: number; table?: ProcessTable } = {}): Promise<{ processes: SweptProcess[]; survivors: number }> {
  const table = options.table ?? processTable();
  const find = (): ProcStat[] => {
    const scan = table.scan();
    const spared = new Set<number>();
    for (let pid: number | undefined = process.pid; pid !== undefined && pid > 1 && !spared.has(pid); pid = scan.get(pid)?.ppid) spared.add(pid);
    const candidates = [...scan.values()].filter((p) => !spared.has(p.pid) && p.state !== 'Z' && p.state !== 'X').map((p) => p.pid);
    const found: ProcStat[] = [];
    for (const [pid, value] of table.envVar(workerEnv.runDir, candidates)) if (value === runDir) found.push(scan.get(pid) as ProcStat);
    return found;
  };
  const first = find();
  if (first.length === 0) return { processes: [], survivors: 0 };
  const processes = first.map((p) => ({ pid: p.pid, command: commandOf(table, p), via: 'mark' as const }));
  const survivors = await terminateMembers(find, () => {}, options.graceMs ?? 2_000);
  return { processes, survivors };
}

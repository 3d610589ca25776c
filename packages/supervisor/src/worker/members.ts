import type { ProcStat } from '../proc/proc-stat.js';
import type { ProcessTable } from '../proc/process-table.js';
import { workerTree } from '../proc/process-tree.js';
import { markVar } from './mark.js';

/** A live process of a worker, and how it was found. */
export type Member = ProcStat & { via: 'tree' | 'mark' };

/**
 * Every live process of a worker: its tree (leader, descendants by parent link, its group and session, and
 * descendants seen before that left), plus anything carrying its environment mark — which finds setsid'd and
 * double-forked descendants whose parent link is gone, even after the leader exited.
 */
export function findMembers(table: ProcessTable, root: { pid: number; pgid: number }, known: Map<number, string>, mark: string | null, scan = table.scan()): Member[] {
  const members = new Map<number, Member>();
  for (const p of workerTree(scan, root, known)) {
    if (p.state !== 'Z' && p.state !== 'X' && p.pid !== process.pid) members.set(p.pid, { ...p, via: 'tree' });
  }
  if (mark) {
    const candidates = [...scan.values()].filter((p) => !members.has(p.pid) && p.pid !== process.pid && p.state !== 'Z' && p.state !== 'X').map((p) => p.pid);
    for (const [pid, value] of table.envVar(markVar, candidates)) {
      const p = scan.get(pid);
      if (p && value === mark) {
        members.set(pid, { ...p, via: 'mark' });
        known.set(pid, p.startTime);
      }
    }
  }
  return [...members.values()];
}

/** The command line of a member for a report: from the table's own row when it has one. */
export function commandOf(table: ProcessTable, p: ProcStat): string {
  const own = (p as ProcStat & { command?: string }).command;
  return (own ?? table.cmdline(p.pid) ?? '?').slice(0, 200);
}

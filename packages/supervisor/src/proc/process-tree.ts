import type { ProcStat } from './proc-stat.js';

/**
 * The processes that belong to a worker: its own group and session, every descendant by parent link,
 * and descendants seen before that have since left (setsid, double fork) — `known` remembers those
 * by pid and start time, so a reused pid is never counted.
 */
export function workerTree(table: Map<number, ProcStat>, root: { pid: number; pgid: number }, known: Map<number, string>, children = childrenOf(table)): ProcStat[] {
  const members = new Map<number, ProcStat>();
  const visit = (pid: number) => {
    const p = table.get(pid);
    if (!p || members.has(pid)) return;
    members.set(pid, p);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(root.pid);
  for (const p of table.values()) {
    if (members.has(p.pid)) continue;
    if (p.pgid === root.pgid || p.sid === root.pgid || known.get(p.pid) === p.startTime) visit(p.pid);
  }
  for (const p of members.values()) known.set(p.pid, p.startTime);
  return [...members.values()];
}

/** Parent pid → child pids, built once per scan and shared by every worker's tree. */
export function childrenOf(table: Map<number, ProcStat>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const p of table.values()) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  return children;
}

import { workerEnv, type WorkerIdentity } from '@godmode/protocol';
import { processTable, type ProcessTable } from '../proc/process-table.js';
import { markVar, parseMark } from './mark.js';

export interface FoundWorker {
  stream: string;
  attempt: number;
  identity: WorkerIdentity;
}

/**
 * Live worker group leaders of a run, found by the environment every worker is given (`GODMODE_RUN_DIR` and
 * its mark), through whichever process table this machine has. The journal can miss a worker whose conductor
 * died between spawning it and journaling it; the process table cannot.
 */
export function findRunWorkers(runDir: string, table: ProcessTable = processTable()): FoundWorker[] {
  const scan = table.scan();
  const leaders = [...scan.values()].filter((p) => p.pid === p.pgid && p.pid !== process.pid && p.state !== 'Z' && p.state !== 'X').map((p) => p.pid);
  const inRun = [...table.envVar(workerEnv.runDir, leaders)].filter(([, dir]) => dir === runDir).map(([pid]) => pid);
  const marks = table.envVar(markVar, inRun);
  // A setsid'd descendant leads a group too and carries the same mark: the worker is the one whose parent does not.
  const byMark = new Map<string, number[]>();
  for (const pid of inRun) {
    const mark = marks.get(pid);
    if (mark !== undefined) byMark.set(mark, [...(byMark.get(mark) ?? []), pid]);
  }
  const found: FoundWorker[] = [];
  for (const [mark, pids] of byMark) {
    const marked = new Set(pids);
    const pid = pids.filter((q) => !marked.has(scan.get(q)?.ppid ?? 0)).sort((x, y) => Number(scan.get(x)?.startTime) - Number(scan.get(y)?.startTime) || x - y)[0];
    const named = parseMark(mark);
    const p = pid === undefined ? undefined : scan.get(pid);
    if (!named || !p || pid === undefined) continue;
    const cmdline = (p as { command?: string }).command ?? table.cmdline(pid) ?? '';
    found.push({ stream: named.stream, attempt: named.attempt, identity: { stream: named.stream, attempt: named.attempt, pid, startTime: p.startTime, cmdline, pgid: p.pgid } });
  }
  return found;
}

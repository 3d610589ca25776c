import { workerEnv, type WorkerIdentity } from '@godmode/protocol';
import { readIdentity, readProcFile, scanProcesses } from '@godmode/supervisor';

export interface FoundWorker {
  stream: string;
  attempt: number;
  identity: WorkerIdentity;
}

/**
 * Live worker group leaders of a run, found by the environment every worker is given. The journal can miss a
 * worker whose conductor died between spawning it and journaling it; the process table cannot.
 */
export function findRunWorkers(runDir: string): FoundWorker[] {
  const found: FoundWorker[] = [];
  for (const p of scanProcesses().values()) {
    if (p.pid !== p.pgid || p.pid === process.pid || p.state === 'Z') continue;
    const environ = readProcFile(`/proc/${p.pid}/environ`);
    if (!environ || !environ.includes(`${workerEnv.runDir}=${runDir}\0`)) continue;
    const vars = new Map(environ.split('\0').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
    const stream = vars.get(workerEnv.stream);
    const attempt = Number(vars.get(workerEnv.attempt));
    const id = readIdentity(p.pid);
    if (!stream || !Number.isInteger(attempt) || attempt < 1 || !id) continue;
    found.push({ stream, attempt, identity: { stream, attempt, pid: p.pid, startTime: id.startTime, cmdline: id.cmdline, pgid: p.pgid } });
  }
  return found;
}

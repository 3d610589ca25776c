import { readCmdline, readProcFile, readProcStat, scanProcesses } from './proc-stat.js';
import type { ProcessTable } from './process-table.js';

/** Linux: `/proc/<pid>/stat`, `cmdline` and `environ`, read through one shared buffer. */
export const procTable: ProcessTable = {
  kind: 'proc',
  cpuResolutionSeconds: 0.01,
  scan: scanProcesses,
  stat: readProcStat,
  cmdline: readCmdline,
  envVar(name, pids) {
    const out = new Map<number, string>();
    const key = `${name}=`;
    for (const pid of pids ?? scanProcesses().keys()) {
      const env = readProcFile(`/proc/${pid}/environ`);
      if (env === null) continue;
      const at = env.startsWith(key) ? 0 : env.indexOf(`\0${key}`) + 1;
      if (at === 0 && !env.startsWith(key)) continue;
      const end = env.indexOf('\0', at);
      out.set(pid, env.slice(at + key.length, end < 0 ? undefined : end));
    }
    return out;
  },
};

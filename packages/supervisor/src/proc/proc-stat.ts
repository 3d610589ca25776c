import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import type { ProcessState } from '@godmode/protocol';

/** The fields of `/proc/<pid>/stat` the supervisor needs. Times are in clock ticks. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  utime: number;
  stime: number;
  startTime: string;
}

/** Parses one stat line. The command name may hold spaces and parentheses, so fields are read after the last `)`. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  if (f.length < 20) return null;
  return {
    pid,
    state: f[0] as string,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    utime: Number(f[11]),
    stime: Number(f[12]),
    startTime: f[19] as string,
  };
}

/**
 * /proc files report a size of 0, so readFileSync allocates 64 KB for each; at a few hundred reads a second
 * that garbage was most of the supervisor's cost. One shared buffer serves every read instead.
 */
const shared = Buffer.allocUnsafe(16 * 1024);

export function readProcFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let length = 0;
    for (;;) {
      const n = readSync(fd, shared, length, shared.length - length, null);
      if (n === 0 || length + n >= shared.length) {
        length += n;
        break;
      }
      length += n;
    }
    // A file larger than the buffer (a big environ) is read whole instead of cut short.
    if (length >= shared.length) return readFileSync(path, 'latin1');
    return shared.toString('latin1', 0, length);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export function readProcStat(pid: number): ProcStat | null {
  const text = readProcFile(`/proc/${pid}/stat`);
  return text === null ? null : parseProcStat(text);
}

/** One pass over /proc: every process's stat, by pid. Shared by all workers in a tick, so its cost does not grow with them. */
export function scanProcesses(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const stat = readProcStat(Number(name));
    if (stat) table.set(stat.pid, stat);
  }
  return table;
}

export function processState(stat: ProcStat | null | undefined): ProcessState {
  if (!stat) return 'gone';
  switch (stat.state) {
    case 'R':
      return 'running';
    case 'T':
    case 't':
      return 'stopped';
    case 'Z':
    case 'X':
      return 'zombie';
    default:
      return 'sleeping';
  }
}

export function readCmdline(pid: number): string | null {
  const raw = readProcFile(`/proc/${pid}/cmdline`);
  return raw === null ? null : raw.replace(/\0+$/, '').split('\0').join(' ');
}

import { execFileSync } from 'node:child_process';
import type { ProcStat } from './proc-stat.js';
import type { ProcessTable } from './process-table.js';

/**
 * The portable table, over `ps` with options that exist in both procps (Linux) and BSD (macOS) `ps`:
 * `-axo pid=,ppid=,pgid=,sess=,stat=,lstart=,time=,command=` under `LC_ALL=C`. Start time is `lstart` in epoch
 * seconds (so a pid reused within the same second is not told apart: the environment mark still is);
 * CPU is `time`, in whole seconds on Linux and hundredths on macOS. Environments come from `ps e` (Linux) or
 * `ps -E` (macOS), appended to the command line. Every read is one `ps` run: cheap at one per period.
 */
const columns = 'pid=,ppid=,pgid=,sess=,stat=,lstart=,time=,command=';
/** The per-period scan leaves the command line out: reading every process's argv is a fifth of ps's cost. */
const scanColumns = 'pid=,ppid=,pgid=,sess=,stat=,lstart=,time=';
const line = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\w{3}\s+\w{3}\s+\d+\s+\d+:\d+:\d+\s+\d{4})\s+(\S+) ?(.*)$/;

function ps(args: string[]): string {
  try {
    return execFileSync('ps', args, { encoding: 'latin1', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    // `ps -p` exits 1 when none of the pids exist; its output is still what we asked for.
    const out = (error as { stdout?: string }).stdout;
    return typeof out === 'string' ? out : '';
  }
}

/** `[[dd-]hh:]mm:ss[.cc]` → seconds. */
export function parseCpuTime(text: string): number {
  const [days, clock] = text.includes('-') ? (text.split('-') as [string, string]) : ['0', text];
  const parts = clock.split(':').map(Number);
  let seconds = 0;
  for (const p of parts) seconds = seconds * 60 + p;
  return Number(days) * 86_400 + seconds;
}

/** One line of `ps -o <columns>` as a ProcStat with its command line; null for a line it does not understand. */
export function parsePsLine(text: string): (ProcStat & { command?: string }) | null {
  const m = line.exec(text);
  if (!m) return null;
  const started = Date.parse((m[6] as string).replace(/\s+/g, ' '));
  return {
    pid: Number(m[1]),
    ppid: Number(m[2]),
    pgid: Number(m[3]),
    // macOS prints a session pointer, not an id: unknown then.
    sid: /^\d+$/.test(m[4] as string) ? Number(m[4]) : -1,
    state: (m[5] as string).charAt(0),
    utime: Math.round(parseCpuTime(m[7] as string) * 100),
    stime: 0,
    startTime: Number.isFinite(started) ? String(Math.floor(started / 1000)) : '0',
    ...(m[8] ? { command: m[8] } : {}),
  };
}

function rows(args: string[]): Map<number, ProcStat & { command?: string }> {
  const table = new Map<number, ProcStat & { command?: string }>();
  for (const text of ps(args).split('\n')) {
    const p = parsePsLine(text);
    if (p) table.set(p.pid, p);
  }
  return table;
}

const envArgs = (pids: string | null): string[] => {
  const select = pids === null ? ['-ax'] : ['-p', pids];
  return process.platform === 'darwin' ? ['-E', '-ww', ...select, '-o', 'pid=,command='] : ['eww', ...select, '-o', 'pid=,command='];
};

/** The value of `name` in a command line with its environment appended: up to the next ` NAME=`. */
export function envValueIn(text: string, name: string): string | null {
  const key = ` ${name}=`;
  const at = text.indexOf(key);
  if (at < 0) return null;
  const rest = text.slice(at + key.length);
  const next = / [A-Za-z_][A-Za-z0-9_]*=/.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

export const psTable: ProcessTable = {
  kind: 'ps',
  cpuResolutionSeconds: process.platform === 'darwin' ? 0.01 : 1,
  scan: () => rows(['-axo', scanColumns]),
  stat: (pid) => rows(['-o', columns, '-p', String(pid)]).get(pid) ?? null,
  cmdline: (pid) => rows(['-o', columns, '-p', String(pid)]).get(pid)?.command ?? null,
  envVar(name, pids) {
    const list = pids === undefined ? null : [...pids];
    const out = new Map<number, string>();
    if (list !== null && list.length === 0) return out;
    for (const text of ps(envArgs(list === null ? null : list.join(','))).split('\n')) {
      const m = /^\s*(\d+) (.*)$/.exec(text);
      if (!m) continue;
      const value = envValueIn(` ${m[2]}`, name);
      if (value !== null) out.set(Number(m[1]), value);
    }
    return out;
  },
};

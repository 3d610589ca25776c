import { availableParallelism } from 'node:os';
import { readProcFile } from './proc-stat.js';

/** Whole-machine CPU use between two reads of /proc/stat, as a share of all cores (0..1). */
export class SystemCpu {
  private last: { busy: number; total: number } | null = null;
  readonly cores = availableParallelism();

  sample(): number | null {
    const text = readProcFile('/proc/stat');
    if (text === null) return null;
    const line = text.split('\n', 1)[0] as string;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const now = { busy: total - idle, total };
    const prev = this.last;
    this.last = now;
    if (!prev || now.total <= prev.total) return null;
    return Math.min(1, Math.max(0, (now.busy - prev.busy) / (now.total - prev.total)));
  }
}

export function memoryAvailableShare(): number | null {
  try {
    const text = readProcFile('/proc/meminfo') ?? '';
    const total = Number(/MemTotal:\s+(\d+)/.exec(text)?.[1]);
    const avail = Number(/MemAvailable:\s+(\d+)/.exec(text)?.[1]);
    return total > 0 ? avail / total : null;
  } catch {
    return null;
  }
}

/** Clock ticks per second for utime/stime; 100 on every Linux godmode targets (USER_HZ). */
export const CLOCK_TICKS = 100;

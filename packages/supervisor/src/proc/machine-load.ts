import { availableParallelism, freemem, totalmem } from 'node:os';
import si from 'systeminformation';
import { memoryAvailableShare, SystemCpu } from './system-load.js';

/** Whole-machine CPU (share of all cores, 0..1) and available memory (share of RAM), sampled once per period. */
export interface MachineLoad {
  readonly cores: number;
  /** CPU use since the previous call; null until two samples exist or where it cannot be read. */
  sample(): number | null;
  memoryAvailable(): number | null;
}

/** Linux: `/proc/stat` and `/proc/meminfo`, read synchronously. */
export function procMachineLoad(): MachineLoad {
  const cpu = new SystemCpu();
  return { cores: cpu.cores, sample: () => cpu.sample(), memoryAvailable: memoryAvailableShare };
}

/**
 * Anywhere: systeminformation's `currentLoad()` and `mem()`, refreshed in the background (they are async and,
 * on macOS, run `vm_stat`); each call returns the last reading and starts the next.
 */
export function portableMachineLoad(): MachineLoad {
  let load: number | null = null;
  // Until systeminformation answers: Node's own figure (MemAvailable on Linux, free pages on macOS — lower).
  let memory: number | null = totalmem() > 0 ? freemem() / totalmem() : null;
  let busy = false;
  let calls = 0;
  const refresh = () => {
    if (busy) return;
    busy = true;
    // Memory moves slowly and costs more to read (vm_stat on macOS): every fifth period.
    void Promise.all([si.currentLoad().catch(() => null), calls++ % 5 === 0 ? si.mem().catch(() => null) : null])
      .then(([l, m]) => {
        if (l && Number.isFinite(l.currentLoad)) load = Math.min(1, Math.max(0, l.currentLoad / 100));
        if (m && m.total > 0) memory = m.available / m.total;
      })
      .finally(() => (busy = false));
  };
  refresh();
  return {
    cores: availableParallelism(),
    sample() {
      refresh();
      return load;
    },
    memoryAvailable() {
      return memory;
    },
  };
}

/**
 * Stalled: quiet (no output, no disk writes) for the stall window with CPU averaged over that window under the
 * floor — periodic blips do not reset anything — or quiet for the spin window whatever the CPU. Null: not stalled.
 */
export function stallReason(quietMs: number, windowCores: number, o: { stallWindowMs: number; spinWindowMs: number; idleCores: number }): string | null {
  if (quietMs < o.stallWindowMs) return null;
  if (windowCores < o.idleCores) return `no output, no disk writes and no CPU (${pct(windowCores)} of a core, under the ${pct(o.idleCores)} floor) for ${seconds(quietMs)}`;
  if (quietMs >= o.spinWindowMs) return `busy CPU but no output and no disk writes for ${seconds(quietMs)} (spin window)`;
  return null;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/**
 * CPU time of a worker's tree over a sliding window, from cumulative tick readings (1/100 s). Shares are
 * averaged over a window, never read off one period: a hung worker's periodic blips average out below the
 * floor, and a table that counts whole seconds (`ps` on Linux) still measures a busy worker.
 */
export class CpuWindow {
  private readings: Array<{ t: number; ticks: number }> = [];

  constructor(private readonly keepMs: number) {}

  add(t: number, ticks: number): void {
    // A tree that lost a member can read fewer ticks than before: keep the series monotonic.
    const last = this.readings.at(-1);
    const value = last ? Math.max(last.ticks, ticks) : ticks;
    this.readings.push({ t, ticks: value });
    while (this.readings.length > 2 && (this.readings[1] as { t: number }).t <= t - this.keepMs) this.readings.shift();
  }

  /** Cores used over (about) the last `windowMs`: 1 = one full core. 0 with fewer than two readings. */
  cores(windowMs: number): number {
    const last = this.readings.at(-1);
    if (!last) return 0;
    let first = last;
    for (let i = this.readings.length - 1; i >= 0; i--) {
      const r = this.readings[i] as { t: number; ticks: number };
      first = r;
      if (r.t <= last.t - windowMs) break;
    }
    const ms = last.t - first.t;
    return ms > 0 ? (last.ticks - first.ticks) / 100 / (ms / 1000) : 0;
  }

  /** Whether the window has been observed for at least `windowMs`. */
  covers(windowMs: number): boolean {
    const first = this.readings[0];
    const last = this.readings.at(-1);
    return first !== undefined && last !== undefined && last.t - first.t >= windowMs;
  }
}

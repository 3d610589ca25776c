import { describe, expect, it } from 'vitest';
import { CpuWindow } from './cpu-window.js';

describe('CPU over a window', () => {
  it('averages blips below the floor and sees a busy tree through a coarse clock', () => {
    // A hung worker: 5 ticks (50 ms of CPU) every 10 s, sampled each second.
    const blips = new CpuWindow(20_000);
    for (let s = 0; s <= 20; s++) blips.add(s * 1000, Math.floor(s / 10) * 5 + (s % 10 === 0 && s > 0 ? 0 : 0));
    expect(blips.cores(15_000)).toBeLessThan(0.02);
    // A busy worker seen through whole seconds (ps on Linux): 0,0,100,100,200 … over 1 s periods.
    const coarse = new CpuWindow(10_000);
    for (let s = 0; s <= 6; s++) coarse.add(s * 1000, Math.floor(s / 2) * 100);
    expect(coarse.cores(3_000)).toBeGreaterThan(0.3);
    const table: Array<[number[], number, number]> = [
      [[0, 0, 0, 0], 3_000, 0],
      [[0, 100, 200, 300], 3_000, 1],
      [[0, 50, 100, 150], 3_000, 0.5],
      [[300, 200, 100, 0], 3_000, 0],
    ];
    for (const [ticks, window, cores] of table) {
      const w = new CpuWindow(10_000);
      ticks.forEach((n, i) => w.add(i * 1000, n));
      expect(w.cores(window), `${ticks.join(',')}`).toBeCloseTo(cores, 5);
    }
  });
});

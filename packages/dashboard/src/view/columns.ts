export type Combine = 'last' | 'mean';

/**
 * Numeric columns of one chart, kept under `cap` points: when full, neighbours are merged pairwise
 * (`mean` for rates, `last` for times and running totals) and `gen` moves, so a run of any length
 * costs the page a bounded chart. `dirtyFrom` tells the server which tail the page has not seen.
 */
export class Columns<K extends string> {
  readonly data: Record<K, number[]>;
  gen = 0;
  dirtyFrom = 0;

  constructor(
    private readonly combine: Record<K, Combine>,
    private readonly cap = 600,
  ) {
    this.data = Object.fromEntries(Object.keys(combine).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  }

  get length(): number {
    return (this.data[Object.keys(this.combine)[0] as K] ?? []).length;
  }

  push(row: Record<K, number>): void {
    for (const k of Object.keys(this.combine) as K[]) this.data[k].push(row[k]);
    if (this.length > this.cap) this.thin();
  }

  /** Replaces the last point's values (those given). */
  setLast(row: Partial<Record<K, number>>): void {
    const i = this.length - 1;
    if (i < 0) return;
    for (const [k, v] of Object.entries(row) as Array<[K, number]>) this.data[k][i] = v;
    this.dirtyFrom = Math.min(this.dirtyFrom, i);
  }

  /** The columns from `from` on, and marks the whole series as seen. */
  takeTail(): { from: number; gen: number; data: Record<K, number[]> } {
    const from = Math.min(this.dirtyFrom, this.length);
    const data = Object.fromEntries((Object.keys(this.combine) as K[]).map((k) => [k, this.data[k].slice(from)])) as Record<K, number[]>;
    this.dirtyFrom = this.length;
    return { from, gen: this.gen, data };
  }

  private thin(): void {
    for (const k of Object.keys(this.combine) as K[]) {
      const src = this.data[k];
      const out: number[] = [];
      for (let i = 0; i < src.length; i += 2) {
        const a = src[i] as number;
        const b = src[i + 1];
        out.push(b === undefined ? a : this.combine[k] === 'mean' ? (a + b) / 2 : b);
      }
      this.data[k] = out;
    }
    this.gen++;
    this.dirtyFrom = 0;
  }
}

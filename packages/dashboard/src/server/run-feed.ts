import { availableParallelism } from 'node:os';
import { readPlantedCanaries } from '@godmode/scorer';
import type { RunStore } from '@godmode/run-store';
import { Redactor } from '../text/redactor.js';
import { RunViewBuilder } from '../view/run-view-builder.js';
import type { ConductorView } from '../view/view-types.js';
import { readScore } from './read-score.js';

export type FeedListener = (message: string) => void;

export interface RunFeedOptions {
  /** How long entries are gathered into one patch. Default 50 ms. */
  coalesceMs?: number;
  /**
   * Least time between two patches. Default 250 ms: a run appending every 125 ms (16 busy streams) costs
   * four patches a second, not eight, and an entry still reaches the page well inside the 500 ms budget.
   */
  minGapMs?: number;
  /** How often the lease is read while the run is unfinished. Default 1 s. */
  leaseEveryMs?: number;
  /** Cores of the machine the run's CPU is measured against. Default: this machine's. */
  cores?: number;
}

/**
 * One run, followed for every page that shows it: the journal is read once (a scan), then followed
 * incrementally by the run store; each batch of new entries becomes one patch, sent to every listener
 * as redacted JSON. Read-only: it never writes to the run, takes no lock, signals nobody.
 */
export class RunFeed {
  private builder: RunViewBuilder | null = null;
  private redactor: Redactor | null = null;
  private readonly listeners = new Set<FeedListener>();
  private readonly stop = new AbortController();
  private ready: Promise<void> | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private following: Promise<void> | null = null;

  constructor(
    readonly store: RunStore,
    private readonly options: RunFeedOptions = {},
  ) {}

  /** Reads the run (once) and starts following it. */
  open(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  /** Adds a listener; it gets the snapshot at once, then every patch. Returns the way to remove it. */
  async subscribe(listener: FeedListener): Promise<() => void> {
    await this.open();
    this.flush();
    listener(this.encode(this.builder!.snapshot()));
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.stop.abort();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.following?.catch(() => undefined);
    this.listeners.clear();
  }

  private async load(): Promise<void> {
    const { plan } = await this.store.readPlan();
    this.redactor = new Redactor(readPlantedCanaries(this.store.dir));
    const builder = new RunViewBuilder(this.store.id, plan, this.options.cores ?? availableParallelism());
    this.builder = builder;
    await this.store.journal.scan(
      (e) => builder.entry(e),
      (c) => builder.corrupt(c),
    );
    builder.setScore(await readScore(this.store));
    await this.readLease();
    builder.patch(); // what the scan built is the snapshot's, not a patch's
    // Followed even when finished: a takeover may resume a stopped run, and following an idle file costs nothing.
    this.following = this.store.journal
      .follow(
        builder.lastSeq,
        (e) => {
          builder.entry(e);
          if (e.kind === 'score.written' || e.kind === 'run.finished') void readScore(this.store).then((s) => s && builder.setScore(s)).then(() => this.schedule());
          this.schedule();
        },
        this.stop.signal,
        { intervalMs: 250, onCorrupt: (c) => builder.corrupt(c) },
      )
      .catch(() => undefined);
    const leaseEveryMs = this.options.leaseEveryMs ?? 1_000;
    this.leaseTimer = setInterval(() => {
      if (builder.status === 'finished') return;
      void this.readLease().then(() => this.schedule());
    }, leaseEveryMs);
    this.leaseTimer.unref();
  }

  private async readLease(): Promise<void> {
    const lease = await this.store.lease.read().catch(() => null);
    const conductor: ConductorView | null =
      lease === null
        ? null
        : { holder: lease.holder, pid: lease.pid, token: lease.token, live: !lease.released && lease.expiresAt > Date.now(), expiresAt: lease.expiresAt };
    this.builder?.setConductor(conductor);
  }

  private schedule(): void {
    if (this.flushTimer !== null || this.stop.signal.aborted) return;
    const wait = Math.max(this.options.coalesceMs ?? 50, this.lastFlushAt + (this.options.minGapMs ?? 250) - Date.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const builder = this.builder;
    if (!builder?.dirty) return;
    const patch = builder.patch();
    this.lastFlushAt = Date.now();
    if (this.listeners.size === 0) return;
    const message = this.encode(patch);
    for (const l of this.listeners) l(message);
  }

  private encode(message: unknown): string {
    return (this.redactor as Redactor).redact(JSON.stringify(message));
  }
}

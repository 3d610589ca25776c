import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { governorSampleKind } from '@godmode/protocol';
import { Supervisor, type SupervisorOptions } from '@godmode/supervisor';
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type pg from 'pg';
import { ensureClone } from '../git/remote.js';
import { attemptQueue } from '../queue/attempt-job.js';
import { startBoss } from '../queue/boss.js';
import { attemptQueuedChannel, attemptSettledChannel, listen, notify } from '../queue/wakeups.js';
import { connectDatabase, describeDatabase } from '../store/connect.js';
import { PgJournal } from '../store/pg-journal.js';
import { checkFleetSchema, migrateFleetSchema } from '../store/schema.js';
import { checkFleetSetting } from '../settings/fleet-setting-ranges.js';
import { runAttempt } from './run-attempt.js';
import { SlotWorktrees } from './slot-worktrees.js';
import { WorkerWatch } from './worker-watch.js';

export interface AgentOptions {
  db: string;
  /** Most attempts at once on this machine (its governor may admit fewer). */
  slots: number;
  /** A clone of the shared remote to cut worktrees from; default: one made under `home`. */
  repo: string | null;
  /** Where worktrees, logs and claims go. Default ~/.godmode/fleet/<agent name>. */
  home?: string;
  name?: string;
  migrate: boolean;
  /** Idle poll of the queue. Default 500 ms. */
  pollMs?: number;
  supervisor?: Partial<SupervisorOptions>;
  superviseEverySeconds?: number;
  log?: (line: string) => void;
}

/**
 * `godmode fleet agent`: takes stream attempts from the queue when this machine's governor admits a worker
 * and a slot is free, and runs each to its end (see `runAttempt`). One fetch per admitted slot: a job is
 * never claimed that this machine could not start now.
 */
export class FleetAgent {
  readonly name: string;
  readonly home: string;
  private pool: pg.Pool | null = null;
  private boss: PgBoss | null = null;
  private supervisor: Supervisor | null = null;
  private readonly running = new Set<Promise<void>>();
  private readonly stopController = new AbortController();
  private readonly journals = new Map<string, PgJournal>();
  private readonly log: (line: string) => void;
  private loop: Promise<void> | null = null;
  private worktrees: SlotWorktrees | null = null;
  private listener: { close(): void } | null = null;
  private wake: () => void = () => undefined;
  clone = '';

  constructor(private readonly options: AgentOptions) {
    this.name = options.name ?? `${hostname()}-${process.pid}`;
    this.home = options.home ?? path.join(homedir(), '.godmode', 'fleet', this.name);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    checkFleetSetting('slots', options.slots);
    if (options.pollMs !== undefined) checkFleetSetting('pollMs', options.pollMs);
    if (options.superviseEverySeconds !== undefined) checkFleetSetting('superviseEverySeconds', options.superviseEverySeconds);
  }

  /** Connects, checks (or with `migrate` creates) the schemas, and starts taking jobs. */
  async start(): Promise<void> {
    this.pool = await connectDatabase(this.options.db, { max: 5, applicationName: `godmode-agent ${this.name}` });
    if (this.options.migrate) await migrateFleetSchema(this.pool);
    else await checkFleetSchema(this.pool, describeDatabase(this.options.db));
    this.clone = await ensureClone({ repo: this.options.repo, home: this.home, remote: '' });
    this.boss = await startBoss(this.pool, {
      url: this.options.db,
      migrate: this.options.migrate,
      applicationName: `godmode-agent ${this.name}`,
      onError: (error) => this.log(`queue: ${error.message}`),
      ...(this.options.superviseEverySeconds ? { superviseEverySeconds: this.options.superviseEverySeconds } : {}),
    });
    this.worktrees = new SlotWorktrees(this.clone, path.join(this.home, 'work'));
    this.supervisor = new Supervisor({ mayAct: () => true, ...this.options.supervisor });
    const watch = new WorkerWatch();
    void watch.pump(this.supervisor);
    void this.journalGovernor(this.supervisor);
    this.log(`agent ${this.name}: ${this.options.slots} slot(s), clone ${this.clone}, database ${describeDatabase(this.options.db)}`);
    // Woken when the conductor enqueues, rather than at the next poll (which still runs: a retry is not announced).
    this.listener = listen(this.pool, attemptQueuedChannel, () => this.wake());
    this.loop = this.take(watch);
  }

  /** Stops taking jobs, stops its workers (each attempt hands its job back), and disconnects. */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.listener?.close();
    await this.loop;
    await Promise.allSettled([...this.running]);
    await this.supervisor?.close();
    await this.worktrees?.close();
    for (const j of this.journals.values()) await j.close().catch(() => undefined);
    await this.boss?.stop({ graceful: false }).catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }

  /** Runs this agent has attempts of now, with how many: where its governor samples are journaled. */
  private readonly activeRuns = new Map<string, number>();

  /**
   * The supervisor's governor samples (when they are due: a change, or a heartbeat), journaled as a local
   * conductor journals its own — `governor.sample`, naming this agent — in every run it has an attempt of then.
   */
  private async journalGovernor(supervisor: Supervisor): Promise<void> {
    for await (const sample of supervisor.governorSamples()) {
      for (const runId of this.activeRuns.keys()) this.note(runId, governorSampleKind, { ...sample, agent: this.name });
    }
  }

  private note = (runId: string, kind: string, payload: Record<string, unknown>) => {
    let journal = this.journals.get(runId);
    if (!journal) {
      journal = new PgJournal({ pool: this.pool!, runId });
      this.journals.set(runId, journal);
    }
    journal.append(kind, payload).catch(() => undefined);
  };

  private async take(watch: WorkerWatch): Promise<void> {
    const signal = this.stopController.signal;
    const supervisor = this.supervisor!;
    const boss = this.boss!;
    const pollMs = this.options.pollMs ?? 500;
    while (!signal.aborted) {
      if (this.running.size >= this.options.slots) {
        await Promise.race([...this.running, aborted(signal)]);
        continue;
      }
      await supervisor.waitForAdmission(signal).catch(() => undefined);
      if (signal.aborted) break;
      // Listening for the next enqueue from before the fetch: one announced while the fetch runs is not missed.
      const woken = new Promise<void>((resolve) => (this.wake = resolve));
      let jobs: JobWithMetadata<unknown>[] = [];
      try {
        jobs = await boss.fetch<unknown>(attemptQueue, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        this.log(`queue: fetch failed (${(error as Error).message}); retrying`);
      }
      if (jobs.length === 0) {
        await Promise.race([sleep(pollMs), aborted(signal), woken]);
        continue;
      }
      for (const job of jobs) {
        const runId = typeof (job.data as { runId?: unknown } | null)?.runId === 'string' ? (job.data as { runId: string }).runId : null;
        if (runId !== null) this.activeRuns.set(runId, (this.activeRuns.get(runId) ?? 0) + 1);
        const run: Promise<void> = runAttempt(
          { boss, supervisor, watch, clone: this.clone, home: this.home, worktrees: this.worktrees!, agent: this.name, note: this.note, log: this.log, stop: signal, settled: () => notify(this.pool!, attemptSettledChannel) },
          job,
        )
          .catch((error: unknown) => {
            this.log(`job ${job.id}: ${(error as Error).stack ?? String(error)}`);
            return boss.fail(attemptQueue, { id: job.id, retryCount: job.retryCount }, { reason: (error as Error).message, agent: this.name }).then(() => undefined, () => undefined);
          })
          .finally(() => {
            this.running.delete(run);
            if (runId === null) return;
            const left = (this.activeRuns.get(runId) ?? 1) - 1;
            if (left > 0) this.activeRuns.set(runId, left);
            else this.activeRuns.delete(runId);
          });
        this.running.add(run);
      }
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

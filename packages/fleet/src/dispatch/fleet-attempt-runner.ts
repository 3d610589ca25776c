import { createHash } from 'node:crypto';
import type { Stream } from '@godmode/protocol';
import type { PgBoss } from 'pg-boss';
import type pg from 'pg';
import { fetchSnapshot, pushBase } from '../git/remote.js';
import { attemptQueue, attemptResultSchema, type AttemptJob, type AttemptResult } from '../queue/attempt-job.js';
import { startBoss } from '../queue/boss.js';
import { attemptQueuedChannel, attemptSettledChannel, listen, notify } from '../queue/wakeups.js';
import { checkFleetSetting } from '../settings/fleet-setting-ranges.js';
import { classifyDatabaseError, connectDatabase, describeDatabase } from '../store/connect.js';
import { PgJournal } from '../store/pg-journal.js';
import { checkFleetSchema, migrateFleetSchema } from '../store/schema.js';

export interface FleetAttemptRequest {
  runId: string;
  stream: Stream;
  attempt: number;
  base: string;
  /** The conductor's repository: the base is pushed from it, pushed snapshots are fetched into it. */
  repo: string;
  remote: string;
  snapshotEveryMs: number;
  budgetMs: number | null;
  onDisk?: string;
  /** The plan's setup, run by the agent in each fresh worktree. */
  setup?: { command: string; timeoutMs: number } | null;
}

export interface FleetAttemptOutcome {
  jobId: string;
  /** pg-boss's final state of the job: `failed` once every retry is spent. */
  state: 'completed' | 'failed' | 'cancelled';
  /** What the last agent reported (testimony), when it reported something well-formed. */
  result: AttemptResult | null;
  /** The pushed commit to judge, fetched into `repo` — null when none is on the remote. */
  commit: string | null;
  /** Why there is no commit to judge, when there is none. */
  problem: string | null;
  /** pg-boss's retry count at the end: how many times the attempt moved. */
  retries: number;
}

export interface FleetRunnerOptions {
  db: string;
  migrate?: boolean;
  /** The job's heartbeat: an agent silent this long loses the job (pg-boss, ≥ 10). Default 30. */
  heartbeatSeconds?: number;
  /** Retries pg-boss gives an attempt whose agent died or was cut off. Default 5. */
  retryLimit?: number;
  /** How often this process looks for lapsed heartbeats. Default 10 s (tests: less). */
  superviseEverySeconds?: number;
  pollMs?: number;
  log?: (line: string) => void;
}

/** A stable job id for (run, stream, attempt): enqueueing the same attempt twice (a takeover) finds the same job. */
export function attemptJobId(runId: string, stream: string, attempt: number): string {
  const h = createHash('sha256').update(`godmode-attempt\0${runId}\0${stream}\0${attempt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The conductor's side of the fleet, shaped like the local attempt runner: `runAttempt` runs one stream
 * attempt somewhere in the fleet and resolves with the commit to judge. It pushes the base to the shared
 * remote, enqueues the attempt (one job per run/stream/attempt, its id derived from them, so a takeover never
 * duplicates it), waits for pg-boss to settle it (retries across agents included), and fetches the commit the
 * last agent pushed. The agent's verdict comes back as testimony only: the caller re-judges `commit`.
 */
export class FleetAttemptRunner {
  private constructor(
    private readonly pool: pg.Pool,
    readonly boss: PgBoss,
    private readonly options: FleetRunnerOptions,
  ) {}

  static async connect(options: FleetRunnerOptions): Promise<FleetAttemptRunner> {
    if (options.heartbeatSeconds !== undefined) checkFleetSetting('heartbeatSeconds', options.heartbeatSeconds);
    const pool = await connectDatabase(options.db, { max: 5, applicationName: 'godmode-conductor' });
    try {
      if (options.migrate) await migrateFleetSchema(pool);
      else await checkFleetSchema(pool, describeDatabase(options.db));
      const boss = await startBoss(pool, {
        url: options.db,
        migrate: options.migrate ?? false,
        applicationName: 'godmode-conductor',
        ...(options.superviseEverySeconds ? { superviseEverySeconds: options.superviseEverySeconds } : {}),
        onError: (error) => options.log?.(`queue: ${error.message}`),
      });
      return new FleetAttemptRunner(pool, boss, options);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  /** The run's journal in Postgres, where agents leave their `fleet.*` notes. */
  journal(runId: string): PgJournal {
    return new PgJournal({ pool: this.pool, runId });
  }

  private readonly basesPushed = new Map<string, Promise<void>>();

  async runAttempt(request: FleetAttemptRequest, signal?: AbortSignal): Promise<FleetAttemptOutcome> {
    // Once per (remote, run, base): the streams of a phase share their base.
    const key = `${request.remote}\0${request.runId}\0${request.base}`;
    let pushed = this.basesPushed.get(key);
    if (!pushed) {
      pushed = pushBase(request.repo, request.remote, request.runId, request.base);
      this.basesPushed.set(key, pushed);
      pushed.catch(() => this.basesPushed.delete(key));
    }
    await untilAborted(pushed, signal);
    const id = attemptJobId(request.runId, request.stream.id, request.attempt);
    const data: AttemptJob = {
      runId: request.runId,
      stream: request.stream,
      attempt: request.attempt,
      base: request.base,
      remote: request.remote,
      settings: { snapshotEveryMs: request.snapshotEveryMs, budgetMs: request.budgetMs },
      onDisk: request.onDisk ?? '',
      setup: request.setup ?? null,
    };
    const options = {
      id,
      heartbeatSeconds: this.options.heartbeatSeconds ?? 30,
      retryLimit: this.options.retryLimit ?? 5,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 30,
    };
    // A database that does not answer (a restart, a partition) is tried again until it does or the caller stops
    // (a conductor cut off for long loses its lease and stops); a send hanging on a dead link does not hold it.
    // Sending again is safe: the job's id is the attempt's, so pg-boss keeps one job.
    for (let tries = 1; ; tries++) {
      try {
        await untilAborted(this.boss.send(attemptQueue, data, options), signal);
        break;
      } catch (error) {
        if (signal?.aborted) throw error;
        const problem = classifyDatabaseError(error, this.options.db);
        if (problem === null || problem.problem !== 'unreachable') throw error;
        if (tries === 1) this.options.log?.(`queue: could not enqueue ${request.stream.id} attempt ${request.attempt} (${problem.message}); trying again`);
        await untilAborted(new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** tries))), signal);
      }
    }
    notify(this.pool, attemptQueuedChannel);
    const job = await this.settledJob(id, signal);
    const parsed = attemptResultSchema.safeParse(job.output);
    const result = job.state === 'completed' && parsed.success ? parsed.data : null;
    let commit: string | null = null;
    let problem: string | null = null;
    if (job.state !== 'completed') problem = `the attempt ${job.state} after ${job.retryCount} retr${job.retryCount === 1 ? 'y' : 'ies'}: ${describeOutput(job.output)}`;
    else if (result === null) problem = 'the agent completed the job with a malformed result';
    else if (result.commit === null || result.ref === null) problem = `the agent pushed no commit (${result.outcome}${result.reason ? `: ${result.reason}` : ''})`;
    else {
      try {
        commit = await fetchSnapshot(request.repo, request.remote, result.ref, result.commit);
      } catch (error) {
        problem = (error as Error).message;
      }
    }
    return { jobId: id, state: job.state, result, commit, problem, retries: job.retryCount };
  }

  /** Jobs some `runAttempt` waits on, each with who to wake once pg-boss settled it. */
  private readonly waiting = new Map<string, Set<(job: SettledJob) => void>>();
  private watching: Promise<void> | null = null;

  /**
   * Resolves once the job is in a final state. One query a poll for every job in flight, however many there
   * are (a run of a thousand attempts must not poll a thousand times a tick).
   */
  private settledJob(id: string, signal?: AbortSignal): Promise<SettledJob> {
    return new Promise<SettledJob>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const wake = (job: SettledJob) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(job);
      };
      const onAbort = () => {
        this.waiting.get(id)?.delete(wake);
        if (this.waiting.get(id)?.size === 0) this.waiting.delete(id);
        reject(signal!.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const set = this.waiting.get(id) ?? new Set();
      set.add(wake);
      this.waiting.set(id, set);
      this.watching ??= this.watchSettled().finally(() => (this.watching = null));
    });
  }

  private async watchSettled(): Promise<void> {
    const pollMs = this.options.pollMs ?? 500;
    // An agent that settles a job says so: the next read comes at once instead of at the end of the poll.
    this.listener ??= listen(this.pool, attemptSettledChannel, () => this.wakeWatch());
    while (this.waiting.size > 0 && !this.closed) {
      try {
        const ids = [...this.waiting.keys()];
        const { rows } = await this.pool.query<SettledJob & { id: string }>(settledJobsSql, [attemptQueue, ids]);
        for (const { id, state, output, retryCount } of rows) {
          const wakers = this.waiting.get(id);
          this.waiting.delete(id);
          for (const wake of wakers ?? []) wake({ state, output, retryCount });
        }
      } catch (error) {
        this.options.log?.(`queue: could not read the state of ${this.waiting.size} job(s) (${(error as Error).message}); retrying`);
      }
      if (this.waiting.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          this.wakeWatch = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeWatch = () => undefined;
      }
    }
  }

  private closed = false;
  private listener: { close(): void } | null = null;
  private wakeWatch: () => void = () => undefined;

  async close(): Promise<void> {
    this.closed = true;
    this.listener?.close();
    await this.boss.stop({ graceful: false }).catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

/** `promise`, or its rejection with the signal's reason once `signal` aborts, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A job pg-boss settled: its final state, what it was settled with, and how many times it moved. */
interface SettledJob {
  state: 'completed' | 'failed' | 'cancelled';
  output: unknown;
  retryCount: number;
}

/**
 * The jobs among $2 that pg-boss settled, with what the conductor needs of each (one round trip, no
 * `getJobById` after it). pg-boss keeps every queue's jobs under pgboss.job, partitioned by name.
 */
const settledJobsSql = `select id::text as id, state::text as state, output, retry_count as "retryCount" from pgboss.job where name = $1 and id = any($2::uuid[]) and state in ('completed', 'failed', 'cancelled')`;

function describeOutput(output: unknown): string {
  if (output && typeof output === 'object' && 'reason' in output && typeof (output as { reason: unknown }).reason === 'string') return (output as { reason: string }).reason;
  if (output && typeof output === 'object' && 'message' in output && typeof (output as { message: unknown }).message === 'string') return (output as { message: string }).message;
  return 'no reason given';
}

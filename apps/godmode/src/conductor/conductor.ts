import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import {
  GodmodeError,
  journalKinds,
  planStreams,
  workerEnv,
  type JournalEntry,
  type Phase,
  type Plan,
  type Stream,
  type Verdict,
  type WorkerEvent,
  type WorkerIdentity,
} from '@godmode/protocol';
import { HashCache, merge, reconcile } from '@godmode/reconciler';
import type { RunState, RunStore } from '@godmode/run-store';
import { CANARY_CONFIG_FILE, plantCanaries, scoreRun, writeReceipts } from '@godmode/scorer';
import { isSameProcess, SpawnRefusedError, Supervisor } from '@godmode/supervisor';
import { retryDelayMs } from './backoff.js';
import { LeaseKeeper } from './lease-keeper.js';
import { findRunWorkers } from './find-run-workers.js';
import { onDiskSummary } from './on-disk-summary.js';

export type ConductorEvent = Record<string, unknown>;

export interface ConductorOptions {
  store: RunStore;
  plan: Plan;
  planDir: string;
  onEvent?: (event: ConductorEvent) => void;
  /** Aborting stops the run gracefully: workers get SIGTERM with grace, their disk is reconciled. */
  signal?: AbortSignal;
  /** Who asked for a stop, journaled with `run.stopped`. */
  stoppedBy?: () => Promise<string | null>;
  holder?: string;
}

export interface ConductorOutcome {
  runId: string;
  runDir: string;
  shipped: number;
  streams: number;
  verdicts: Verdict[];
  stopped: boolean;
  scorecardFile: string | null;
  receiptFile: string | null;
  receiptHtml: string | null;
}

type Terminal = Extract<WorkerEvent, { type: 'exited' | 'stalled' | 'budget-exceeded' }>;

interface StreamProgress {
  attempts: number;
  verdict: Verdict | null;
  /** A worker found alive at takeover and adopted; its attempt number. */
  adopted: { identity: WorkerIdentity; attempt: number } | null;
}

/**
 * The one process that drives a run (the narrator). It owns the run's state only through the run
 * store: every decision is journaled with its fencing token before it matters, so any other process
 * can replay the journal, read the disk, and carry on.
 */
export class Conductor {
  private readonly store: RunStore;
  private readonly plan: Plan;
  private readonly planDir: string;
  private readonly onEvent: (event: ConductorEvent) => void;
  private readonly external: AbortSignal | undefined;
  private readonly holder: string;
  private readonly supervisor: Supervisor;
  private readonly waiters = new Map<string, (event: Terminal) => void>();
  private readonly early = new Map<string, Terminal>();
  private readonly outputBytes = new Map<string, { stdout: number; stderr: number }>();
  private readonly progress = new Map<string, StreamProgress>();
  private readonly stop = new AbortController();
  private keeper: LeaseKeeper | null = null;
  private canaries: { values: string[]; env: Record<string, string> } = { values: [], env: {} };
  private pump: Promise<void> | null = null;
  /** One cache for the run: a repeat reconcile of an unchanged tree re-hashes nothing. */
  private readonly hashes = new HashCache();

  constructor(private readonly options: ConductorOptions) {
    this.store = options.store;
    this.plan = options.plan;
    this.planDir = options.planDir;
    this.onEvent = options.onEvent ?? (() => {});
    this.external = options.signal;
    this.holder = options.holder ?? `conductor-${hostname()}-${process.pid}`;
    const s = this.plan.settings;
    this.supervisor = new Supervisor({
      samplePeriodMs: s.samplePeriodMs,
      cpuCeiling: s.cpuCeiling,
      memoryFloor: s.memoryFloor,
      stallWindowMs: s.stallWindowMs,
      spinWindowMs: s.spinWindowMs ?? s.stallWindowMs * 2,
      reapGraceMs: s.reapGraceMs,
      resultGraceMs: s.resultGraceMs,
      // No signal to any worker from a conductor that lost its lease, or whose lease ran out while it slept.
      mayAct: () => this.keeper !== null && !this.keeper.lost && Date.now() < this.keeper.expiresAt,
    });
    if (this.external) {
      if (this.external.aborted) this.stop.abort();
      else this.external.addEventListener('abort', () => this.stop.abort(), { once: true });
    }
  }

  get token(): number {
    return this.keeper?.token ?? 0;
  }

  /**
   * True while this conductor holds the lease and nobody asked it to stop. Journal writes need no more: the
   * run store fences them by token. Signals and spawns also need the lease unexpired (`mayAct`), since a
   * process that slept past its expiry cannot know yet whether someone took over.
   */
  private get acting(): boolean {
    return this.keeper !== null && !this.keeper.lost;
  }

  /** Waits for the lease (up to `waitMs`), then conducts the run to its end. */
  async conduct(mode: 'fresh' | 'resume', waitMs = 0): Promise<ConductorOutcome> {
    this.keeper = await LeaseKeeper.acquire(this.store, this.holder, this.plan.settings.leaseTtlMs, waitMs, this.stop.signal);
    if (!this.keeper) {
      throw new GodmodeError({
        code: 'LEASE_HELD',
        audience: 'user',
        message: `Another conductor holds run ${this.store.id}.`,
        hint: 'Use `godmode orchestra takeover` to audit it, or `godmode orchestra stop` to stop it.',
      });
    }
    this.keeper.onLost(() => {
      // Losing the lease means someone else conducts now: stop acting at once, signal nobody.
      this.stop.abort();
      void this.supervisor.close();
    });
    try {
      const state = await this.store.replay();
      await this.prepare(mode, state);
      this.pump = this.pumpEvents();
      await this.adoptSurvivors(state);
      for (const phase of this.plan.phases) {
        if (this.stop.signal.aborted) break;
        await this.runPhase(phase);
      }
      return await this.finish();
    } finally {
      await this.supervisor.close();
      await this.pump?.catch(() => {});
      await this.keeper.release();
    }
  }

  private async journal(kind: string, payload: unknown): Promise<JournalEntry | null> {
    if (!this.acting) return null;
    try {
      const entry = await this.store.journal.append(kind, payload, { token: this.token });
      this.onEvent({ type: 'journal', seq: entry.seq, kind, payload });
      return entry;
    } catch (error) {
      if (GodmodeError.isInstance(error) && error.code === 'STALE_TOKEN') {
        this.keeper?.markLost();
        return null;
      }
      throw error;
    }
  }

  private async prepare(mode: 'fresh' | 'resume', state: RunState): Promise<void> {
    for (const { stream } of planStreams(this.plan)) {
      const s = state.streams[stream.id];
      this.progress.set(stream.id, { attempts: s?.attempts.length ?? 0, verdict: s?.verdict ?? null, adopted: null });
    }
    const canaryFile = join(this.store.dir, 'canaries.json');
    const existing = await readJsonFile<{ values: string[]; env: Record<string, string> }>(canaryFile);
    if (existing) {
      this.canaries = existing;
    } else if (this.plan.settings.canaries > 0) {
      const planted = plantCanaries(this.plan.settings.canaries);
      this.canaries = { values: planted.values, env: planted.env };
      await this.store.writeJson('canaries.json', this.canaries);
    }
    if (mode === 'fresh' && state.lastSeq === 0) {
      await this.journal(journalKinds.runStarted, {
        runId: this.store.id,
        runDir: this.store.dir,
        plan: this.plan.name,
        streams: planStreams(this.plan).length,
        holder: this.holder,
        pid: process.pid,
      });
    } else {
      await this.journal(journalKinds.takeover, {
        runId: this.store.id,
        holder: this.holder,
        pid: process.pid,
        token: this.token,
        previousToken: state.holderToken,
        reason: mode === 'resume' ? 'took over the run from the disk and the journal' : 'restarted',
      });
    }
  }

  /** Takeover: a worker still alive (same pid, start time and command line) is adopted, not restarted. */
  private async adoptSurvivors(state: RunState): Promise<void> {
    for (const { stream } of planStreams(this.plan)) {
      const s = state.streams[stream.id];
      const progress = this.progress.get(stream.id);
      if (!s || !progress || progress.verdict?.status === 'shipped') continue;
      const last = s.attempts.at(-1);
      if (!last?.identity || last.exit || !last.logs) continue;
      if (!isSameProcess(last.identity)) continue;
      const offsets = this.outputBytes.get(key(last.identity)) ?? (await this.loggedOffsets(last.identity));
      const adopted = await this.supervisor.adopt({
        identity: last.identity,
        spec: stream.worker,
        workdir: this.store.layout.workDir(stream.id),
        logs: last.logs,
        offsets,
        budgetMs: stream.budgetMs ?? this.plan.settings.budgetMs,
        ...(last.startedAt ? { startedAtMs: Date.parse(last.startedAt) } : {}),
      });
      if (adopted) progress.adopted = { identity: last.identity, attempt: last.n };
    }
    await this.adoptUnrecorded();
  }

  /** Workers alive on this machine for this run that the journal never recorded (the conductor died in between). */
  private async adoptUnrecorded(): Promise<void> {
    const known = new Set(this.supervisor.live().map((w) => `${w.pid}:${w.startTime}`));
    for (const found of findRunWorkers(this.store.dir)) {
      if (known.has(`${found.identity.pid}:${found.identity.startTime}`)) continue;
      const entry = planStreams(this.plan).find((e) => e.stream.id === found.stream);
      const progress = this.progress.get(found.stream);
      if (!entry || !progress) continue;
      const attemptDir = this.store.layout.attemptDir(found.stream, found.attempt);
      const logs = { stdout: join(attemptDir, 'stdout.log'), stderr: join(attemptDir, 'stderr.log') };
      const adopted = await this.supervisor.adopt({
        identity: found.identity,
        spec: entry.stream.worker,
        workdir: this.store.layout.workDir(found.stream),
        logs,
        offsets: { stdout: 0, stderr: 0 },
        budgetMs: entry.stream.budgetMs ?? this.plan.settings.budgetMs,
      });
      if (!adopted) continue;
      await this.journal(journalKinds.streamSpawned, { stream: found.stream, attempt: found.attempt, identity: found.identity, logs, recovered: true });
      if (progress.verdict?.status === 'shipped' || progress.adopted) {
        // Its stream is already settled (or another attempt is adopted): this one is surplus, stop it gracefully.
        await this.supervisor.stopGracefully(found.identity).catch(() => {});
        continue;
      }
      progress.attempts = Math.max(progress.attempts, found.attempt);
      progress.adopted = { identity: found.identity, attempt: found.attempt };
    }
  }

  /** Output bytes already journaled for a worker: where an adopter resumes reading its logs. */
  private async loggedOffsets(identity: WorkerIdentity): Promise<{ stdout: number; stderr: number }> {
    const { entries } = await this.store.journal.read();
    const offsets = { stdout: 0, stderr: 0 };
    for (const e of entries) {
      if (e.kind !== 'worker.output') continue;
      const p = e.payload as Extract<WorkerEvent, { type: 'output' }>;
      if (p.worker.pid === identity.pid && p.worker.startTime === identity.startTime) offsets[p.stream] += p.bytes;
    }
    return offsets;
  }

  private async pumpEvents(): Promise<void> {
    for await (const event of this.supervisor.events()) {
      const k = key(event.worker);
      if (event.type === 'output') {
        const o = this.outputBytes.get(k) ?? { stdout: 0, stderr: 0 };
        o[event.stream] += event.bytes;
        this.outputBytes.set(k, o);
      }
      const payload = event.type === 'output' && event.line && event.line.length > 400 ? { ...event, line: event.line.slice(0, 400) } : event;
      await this.journal(`${journalKinds.workerPrefix}${event.type}`, payload).catch((error) => this.onEvent({ type: 'warning', message: String(error) }));
      if (event.type === 'exited' || event.type === 'stalled' || event.type === 'budget-exceeded') {
        const waiter = this.waiters.get(k);
        if (waiter) waiter(event);
        else if (!this.early.has(k) || event.type === 'exited') this.early.set(k, event);
      }
    }
  }

  private nextTerminal(identity: WorkerIdentity): Promise<Terminal | null> {
    const k = key(identity);
    const early = this.early.get(k);
    if (early) {
      this.early.delete(k);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => {
      const onStop = () => {
        this.waiters.delete(k);
        resolve(null);
      };
      this.stop.signal.addEventListener('abort', onStop, { once: true });
      this.waiters.set(k, (event) => {
        this.stop.signal.removeEventListener('abort', onStop);
        this.waiters.delete(k);
        resolve(event);
      });
    });
  }

  private async runPhase(phase: Phase): Promise<void> {
    await this.journal(journalKinds.phaseStarted, { phase: phase.id, streams: phase.streams.map((s) => s.id) });
    const queue = [...phase.streams];
    const running = new Set<Promise<void>>();
    while ((queue.length > 0 || running.size > 0) && !this.stop.signal.aborted) {
      while (queue.length > 0 && running.size < phase.parallelism && !this.stop.signal.aborted) {
        const stream = queue.shift() as Stream;
        const task: Promise<void> = this.runStream(phase, stream).finally(() => running.delete(task));
        running.add(task);
      }
      if (running.size > 0) await Promise.race(running);
    }
    await Promise.allSettled(running);
    if (this.stop.signal.aborted) return;
    for (const stream of phase.streams) {
      const v = this.progress.get(stream.id)?.verdict ?? null;
      await this.journal(journalKinds.streamSignoff, {
        stream: stream.id,
        phase: phase.id,
        status: v?.status ?? 'missing',
        divergence: v?.divergence ?? 'no-claim',
        sentence: v?.sentence ?? 'never reconciled',
        deliverables: v?.deliverables ?? null,
      });
    }
    await this.mergePhase(phase);
    await this.journal(journalKinds.phaseFinished, { phase: phase.id });
  }

  private async runStream(phase: Phase, stream: Stream): Promise<void> {
    const progress = this.progress.get(stream.id) as StreamProgress;
    // A shipped stream is never started again, whoever conducted it.
    if (progress.verdict?.status === 'shipped') return;
    const maxAttempts = stream.maxAttempts ?? this.plan.settings.maxAttempts;
    const s = this.plan.settings;

    if (progress.adopted) {
      const { identity, attempt } = progress.adopted;
      progress.adopted = null;
      if (await this.superviseAttempt(stream, identity, attempt)) return;
    } else if (progress.attempts > 0 && !progress.verdict) {
      // Taken over with no verdict for the last attempt: the disk decides before anyone retries.
      const verdict = await this.reconcileStream(stream, progress.attempts);
      if (verdict?.status === 'shipped') return;
    }

    const shipped = () => (progress.verdict as Verdict | null)?.status === 'shipped';
    while (!this.stop.signal.aborted && !shipped() && progress.attempts < maxAttempts) {
      const attempt = progress.attempts + 1;
      if (attempt > 1) {
        const delayMs = retryDelayMs(attempt, s.retryBaseMs, s.retryMaxMs);
        await this.journal(journalKinds.streamRetryScheduled, { stream: stream.id, phase: phase.id, attempt, delayMs });
        if (!(await sleep(delayMs, this.stop.signal))) return;
      }
      await this.supervisor.waitForAdmission(this.stop.signal).catch(() => {});
      if (!this.acting || this.stop.signal.aborted) return;
      const identity = await this.spawn(stream, attempt, progress.verdict);
      if (!identity) return;
      progress.attempts = attempt;
      if (await this.superviseAttempt(stream, identity, attempt)) return;
    }
  }

  /** Starts and journals one attempt; null when this conductor turned out not to hold the run any more. */
  private async spawn(stream: Stream, attempt: number, previous: Verdict | null): Promise<WorkerIdentity | null> {
    const layout = this.store.layout;
    const summary = onDiskSummary(previous);
    const spec =
      summary && stream.worker.adapter === 'claude' && typeof stream.worker.options.prompt === 'string'
        ? { ...stream.worker, options: { ...stream.worker.options, prompt: `${stream.worker.options.prompt}\n\n${summary}\nDo not redo what is present.` } }
        : stream.worker;
    // The canaries go in the worker's environment and in a config file beside its logs (outside the work
    // tree, so it is never merged); the scorer knows the file by name and looks for leaks everywhere else.
    const secretsFile = this.canaries.values.length > 0 ? join(layout.attemptDir(stream.id, attempt), CANARY_CONFIG_FILE) : null;
    if (secretsFile) {
      await mkdir(dirname(secretsFile), { recursive: true });
      await writeFile(secretsFile, JSON.stringify({ secrets: this.canaries.env }, null, 2) + '\n', { mode: 0o600 });
    }
    let identity: WorkerIdentity;
    try {
      identity = await this.supervisor.spawn({
        stream: stream.id,
        attempt,
        spec,
        workdir: layout.workDir(stream.id),
        attemptDir: layout.attemptDir(stream.id, attempt),
        budgetMs: stream.budgetMs ?? this.plan.settings.budgetMs,
        env: {
          ...this.canaries.env,
          [workerEnv.runDir]: this.store.dir,
          [workerEnv.stream]: stream.id,
          [workerEnv.workdir]: layout.workDir(stream.id),
          [workerEnv.result]: layout.resultFile(stream.id),
          [workerEnv.attempt]: String(attempt),
          [workerEnv.planDir]: this.planDir,
          [workerEnv.onDisk]: summary,
          ...(secretsFile ? { [workerEnv.secretsFile]: secretsFile } : {}),
        },
      });
    } catch (error) {
      if (SpawnRefusedError.isInstance(error)) return null;
      throw error;
    }
    const recorded = await this.journal(journalKinds.streamSpawned, {
      stream: stream.id,
      attempt,
      identity,
      logs: { stdout: join(layout.attemptDir(stream.id, attempt), 'stdout.log'), stderr: join(layout.attemptDir(stream.id, attempt), 'stderr.log') },
    });
    if (!recorded) {
      // The lease went between the spawn and its entry (this process was paused in between): no journal
      // names this worker, so no conductor would ever see it finish. End it before it does anything.
      await this.supervisor.endUnrecorded(identity);
      return null;
    }
    return identity;
  }

  /**
   * Waits for the attempt to end, then lets the disk decide. Returns true when the stream is
   * finished for this run (shipped, or the conductor must stop), false to retry.
   */
  private async superviseAttempt(stream: Stream, identity: WorkerIdentity, attempt: number): Promise<boolean> {
    for (;;) {
      const terminal = await this.nextTerminal(identity);
      if (terminal === null) {
        // Stopping: graceful SIGTERM only if we still hold the lease; then read the disk.
        if (this.acting) {
          await this.supervisor.stopGracefully(identity).catch(() => {});
          await this.reconcileStream(stream, attempt);
        }
        return true;
      }
      if (terminal.type === 'exited') {
        const verdict = await this.reconcileStream(stream, attempt);
        return verdict?.status === 'shipped' || !this.acting;
      }
      // Stalled or over budget: read the disk before anyone is signalled.
      const verdict = await this.reconcileStream(stream, attempt);
      if (!this.acting) return true;
      if (verdict?.status === 'shipped') {
        await this.journal('stream.stopped-after-ship', { stream: stream.id, attempt, reason: terminal.type, pid: identity.pid });
        await this.supervisor.stopGracefully(identity).catch(() => {});
        return true;
      }
      if (terminal.type === 'stalled' || terminal.type === 'budget-exceeded') {
        await this.supervisor.reap(identity).catch(() => {});
        // The exit event follows the reap; consume it so it is not mistaken for the next attempt's.
        await Promise.race([this.nextTerminal(identity), sleep(this.plan.settings.reapGraceMs + 2_000, this.stop.signal)]);
        const final = await this.reconcileStream(stream, attempt);
        return final?.status === 'shipped' || !this.acting;
      }
    }
  }

  private async reconcileStream(stream: Stream, attempt: number): Promise<Verdict | null> {
    if (!this.acting) return null;
    const verdict = await reconcile({
      stream,
      workTree: this.store.layout.workDir(stream.id),
      claim: { path: this.store.layout.resultFile(stream.id) },
      attempt,
      cache: this.hashes,
    });
    if (!this.acting) return null;
    await this.store.writeVerdict(stream.id, verdict);
    await this.journal(journalKinds.streamReconciled, verdict);
    const progress = this.progress.get(stream.id) as StreamProgress;
    progress.verdict = verdict;
    return verdict;
  }

  private async mergePhase(phase: Phase): Promise<void> {
    if (!this.acting) return;
    const streams = phase.streams
      .map((stream) => ({ stream, verdict: this.progress.get(stream.id)?.verdict ?? null, workTree: this.store.layout.workDir(stream.id) }))
      .filter((s): s is { stream: Stream; verdict: Verdict; workTree: string } => s.verdict !== null);
    try {
      const result = await merge({
        mode: this.plan.merge.mode,
        streams,
        outputDir: join(this.store.dir, 'merged'),
        includePartial: (stream: Stream) => stream.mergePartial === true,
      });
      await this.journal(journalKinds.mergeFinished, { phase: phase.id, ...result });
    } catch (error) {
      await this.journal(journalKinds.mergeFinished, { phase: phase.id, merged: [], skipped: [], conflicts: [], error: String((error as Error).message ?? error) });
    }
  }

  private async finish(): Promise<ConductorOutcome> {
    const stopped = this.stop.signal.aborted && this.acting;
    const verdicts = planStreams(this.plan)
      .map(({ stream }) => this.progress.get(stream.id)?.verdict ?? null)
      .filter((v): v is Verdict => v !== null);
    const shipped = verdicts.filter((v) => v.status === 'shipped').length;
    const total = planStreams(this.plan).length;
    let scorecardFile: string | null = null;
    let receiptFile: string | null = null;
    let receiptHtml: string | null = null;
    if (this.acting) {
      if (stopped) {
        const by = (await this.options.stoppedBy?.().catch(() => null)) ?? `signal to pid ${process.pid}`;
        await this.journal(journalKinds.runStopped, { by, shipped, streams: total });
      }
      const { entries } = await this.store.journal.read();
      const scorecard = await scoreRun({
        runDir: this.store.dir,
        plan: this.plan,
        planDir: this.planDir,
        verdicts,
        journal: entries,
        mergedTree: join(this.store.dir, 'merged'),
        canaries: this.canaries.values,
      });
      await this.store.writeJson('scorecard.json', scorecard);
      scorecardFile = this.store.layout.scorecardFile;
      await this.journal(journalKinds.scoreWritten, { overall: scorecard.overall, file: scorecardFile });
      // Receipts before run.finished: whoever waits for that entry (watch, a script, a test) finds them on disk.
      const final = await this.store.journal.read();
      const receipts = await writeReceipts({ runDir: this.store.dir, scorecard, plan: this.plan, verdicts, journal: final.entries });
      receiptFile = receipts.md;
      receiptHtml = receipts.html;
      await this.journal(journalKinds.runFinished, { shipped, streams: total, stopped });
    }
    return { runId: this.store.id, runDir: this.store.dir, shipped, streams: total, verdicts, stopped, scorecardFile, receiptFile, receiptHtml };
  }
}

function key(identity: WorkerIdentity): string {
  return `${identity.pid}:${identity.startTime}`;
}

/** Resolves true after `ms`, false if aborted first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function readJsonFile<T>(file: string): Promise<T | null> {
  const { readFile } = await import('node:fs/promises');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GodmodeError, journalKinds, planStreams, type JournalEntry, type Plan, type Verdict } from '@godmode/protocol';
import { HashCache } from '@godmode/reconciler';
import type { RunState, RunStore } from '@godmode/run-store';
import { plantCanaries, scoreRun, writeReceipts } from '@godmode/scorer';
import { Supervisor, sweepRun } from '@godmode/supervisor';
import { addWorktree } from '@godmode/worktrees';
import { admissionKinds, AdmissionHolds } from './admission-hold.js';
import { adoptSurvivors } from './adopt.js';
import { checkEnv, endOldChecks } from './check-processes.js';
import { LeaseKeeper } from './lease-keeper.js';
import { runPhase } from './phase-runner.js';
import { newProgress, type RunContext, type StreamProgress } from './run-context.js';
import { recordedRepository, type RunRepository } from './run-repository.js';
import { WorkerEvents } from './worker-events.js';
import type { FleetSeam } from '../fleet/fleet-attempt.js';

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
  /** A fleet run: attempts go to fleet agents (apps/godmode/src/fleet) instead of the local supervisor. */
  fleet?: FleetSeam;
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

/**
 * The one process that drives a run (the narrator): phases → streams → merge queue. It owns the run's state
 * only through the run store: every decision is journaled with its fencing token before it matters, so any
 * other process can replay the journal, read the disk, and carry on. The parts each have a file: the run's
 * repository (run-repository), a phase (phase-runner), a stream's attempts (stream-attempt), the verdict
 * (judge), the merge queue with its holds (merge-queue), adoption on takeover (adopt).
 */
export class Conductor implements RunContext {
  readonly store: RunStore;
  readonly plan: Plan;
  readonly planDir: string;
  readonly supervisor: Supervisor;
  readonly events: WorkerEvents;
  /** One cache for the run: a repeat reconcile of an unchanged tree re-hashes nothing. */
  readonly hashes = new HashCache();
  readonly fleet: FleetSeam | null;
  readonly admissions: AdmissionHolds;
  repository: RunRepository | null = null;
  canaries: { values: string[]; env: Record<string, string> } = { values: [], env: {} };
  private readonly emit: (event: ConductorEvent) => void;
  private readonly holder: string;
  private readonly streams = new Map<string, StreamProgress>();
  private readonly stop = new AbortController();
  private keeper: LeaseKeeper | null = null;
  private pump: Promise<void> | null = null;
  private fatal: GodmodeError | null = null;

  constructor(private readonly options: ConductorOptions) {
    this.store = options.store;
    this.plan = options.plan;
    this.planDir = options.planDir;
    this.fleet = options.fleet ?? null;
    this.emit = options.onEvent ?? (() => {});
    this.admissions = new AdmissionHolds((kind, payload) => this.journal(kind, payload));
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
    this.events = new WorkerEvents(
      this.supervisor,
      (kind, payload) => this.journal(kind, payload),
      (stream, sessionId) => {
        const p = this.streams.get(stream);
        if (p) p.sessionId = sessionId;
      },
      (message) => this.emit({ type: 'warning', message }),
      (stream, attempt, text) => {
        const p = this.streams.get(stream);
        if (p) p.finalAnswer = { attempt, text };
      },
    );
    const external = options.signal;
    if (external) {
      if (external.aborted) this.stop.abort();
      else external.addEventListener('abort', () => this.stop.abort(), { once: true });
    }
  }

  get token(): number {
    return this.keeper?.token ?? 0;
  }

  get stopSignal(): AbortSignal {
    return this.stop.signal;
  }

  /**
   * True while this conductor holds the lease. Journal writes need no more: the run store fences them by
   * token. Signals and spawns also need the lease unexpired (`mayAct`), since a process that slept past its
   * expiry cannot know yet whether someone took over.
   */
  get acting(): boolean {
    return this.keeper !== null && !this.keeper.lost;
  }

  progress(streamId: string): StreamProgress {
    let p = this.streams.get(streamId);
    if (!p) this.streams.set(streamId, (p = newProgress()));
    return p;
  }

  async entries(): Promise<JournalEntry[]> {
    return (await this.store.journal.read()).entries;
  }

  onEvent(event: Record<string, unknown>): void {
    this.emit(event);
  }

  fail(error: GodmodeError): void {
    this.fatal ??= error;
    this.stop.abort();
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
    let outcome: ConductorOutcome;
    try {
      const state = await this.store.replay();
      await this.prepare(mode, state);
      // A conductor before this one may have left checks running: they are ended here and run again as needed.
      if (state.lastSeq > 0 && this.acting) await endOldChecks(this);
      this.pump = this.events.pump();
      await adoptSurvivors(this, state);
      for (const phase of this.plan.phases) {
        if (this.stop.signal.aborted) break;
        await runPhase(this, phase);
      }
      outcome = await this.finish();
    } finally {
      await this.supervisor.close();
      await this.pump?.catch(() => {});
      await this.keeper.release();
    }
    if (this.fatal) throw this.fatal;
    return outcome;
  }

  async journal(kind: string, payload: unknown): Promise<JournalEntry | null> {
    if (!this.acting) return null;
    try {
      const entry = await this.store.journal.append(kind, payload, { token: this.token });
      this.emit({ type: 'journal', seq: entry.seq, kind, payload });
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
    const entries = await this.entries();
    this.restoreProgress(state, entries);
    this.admissions.restore(entries);
    const canaryFile = join(this.store.dir, 'canaries.json');
    const existing = await readJsonFile<{ values: string[]; env: Record<string, string> }>(canaryFile);
    if (existing) {
      this.canaries = existing;
    } else if (this.plan.settings.canaries > 0) {
      const planted = plantCanaries(this.plan.settings.canaries);
      this.canaries = { values: planted.values, env: planted.env };
      await this.store.writeJson('canaries.json', this.canaries);
    }
    this.repository = await recordedRepository(this.store, entries);
    const fresh = mode === 'fresh' && state.lastSeq === 0;
    // The repository, base and integration branch go in the journal before anything else happens to the repository.
    if (this.repository && !entries.some((e) => e.kind === journalKinds.runRepository)) await this.journal(journalKinds.runRepository, this.repository);
    if (this.repository && this.acting) {
      await addWorktree({ repo: { top: this.repository.repo }, path: this.repository.integrationTree, branch: this.repository.integration, start: this.repository.base });
    }
    if (fresh) {
      await this.journal(journalKinds.runStarted, {
        runId: this.store.id,
        runDir: this.store.dir,
        plan: this.plan.name,
        streams: planStreams(this.plan).length,
        holder: this.holder,
        pid: process.pid,
        ...(this.repository ? { repo: this.repository.repo, base: this.repository.base, integration: this.repository.integration } : {}),
      });
    } else {
      await this.journal(journalKinds.takeover, {
        runId: this.store.id,
        holder: this.holder,
        pid: process.pid,
        token: this.token,
        previousToken: state.holderToken,
        reason: mode === 'resume' ? 'took over the run from the disk and the journal' : 'restarted',
        ...(this.repository ? { base: this.repository.base } : {}),
      });
      // A usage limit the dead conductor saw but did not get to hold on is held now (its attempt not counted).
      const recovered = await this.admissions.recover(entries, (id) => {
        const entry = planStreams(this.plan).find((e) => e.stream.id === id);
        return entry && this.progress(id).verdict?.status !== 'shipped' ? entry.stream.worker.adapter : null;
      });
      for (const { stream } of recovered) this.progress(stream).limitedAttempts += 1;
    }
  }

  /** Each stream's attempts, verdict, base, snapshot and Claude session, as the journal has them. */
  private restoreProgress(state: RunState, entries: JournalEntry[]): void {
    for (const { stream } of planStreams(this.plan)) {
      const s = state.streams[stream.id];
      const p = this.progress(stream.id);
      p.attempts = s?.attempts.length ?? 0;
      p.verdict = s?.verdict ?? null;
    }
    const heldAt = new Map<string, number>();
    const judgedAt = new Map<string, number>();
    for (const e of entries) {
      const payload = e.payload as { stream?: string; base?: string; snapshot?: { commit?: string }; kind?: string; detail?: { sessionId?: unknown }; worker?: { stream?: string } };
      const id = payload?.stream ?? payload?.worker?.stream;
      if (typeof id !== 'string' || !this.streams.has(id)) continue;
      const p = this.progress(id);
      if (e.kind === journalKinds.streamWorktree && payload.base) p.base = payload.base;
      if (e.kind === journalKinds.streamReconciled) {
        p.snapshot = payload.snapshot?.commit ?? p.snapshot;
        judgedAt.set(id, e.seq);
      }
      if (e.kind === journalKinds.streamHeld) heldAt.set(id, e.seq);
      if (e.kind === admissionKinds.held) p.limitedAttempts += 1;
      if (e.kind === 'worker.activity' && payload.kind === 'init' && typeof payload.detail?.sessionId === 'string') p.sessionId = payload.detail.sessionId;
      const result = e.payload as { text?: unknown; worker?: { attempt?: unknown } };
      if (e.kind === 'worker.result' && typeof result.text === 'string' && typeof result.worker?.attempt === 'number') p.finalAnswer = { attempt: result.worker.attempt, text: result.text };
    }
    // A stream held and being retried is judged again: its verdict from before the hold no longer stands.
    if (this.plan.onHold === 'retry') {
      for (const [id, seq] of heldAt) if ((judgedAt.get(id) ?? 0) < seq) this.progress(id).verdict = null;
    }
  }

  private async finish(): Promise<ConductorOutcome> {
    const stopped = this.stop.signal.aborted && this.acting;
    const verdicts = planStreams(this.plan)
      .map(({ stream }) => this.streams.get(stream.id)?.verdict ?? null)
      .filter((v): v is Verdict => v !== null);
    const shipped = verdicts.filter((v) => v.status === 'shipped').length;
    const total = planStreams(this.plan).length;
    let scorecardFile: string | null = null;
    let receiptFile: string | null = null;
    let receiptHtml: string | null = null;
    if (this.acting) {
      // No worker's descendants outlive the run: whatever still carries its mark is ended before the receipt.
      const swept = await sweepRun(this.store.dir).catch((error: Error) => {
        this.emit({ type: 'warning', message: `sweeping the run's processes failed: ${error.message}` });
        return { processes: [], survivors: 0 };
      });
      if (swept.processes.length > 0 || swept.survivors > 0) await this.journal(journalKinds.workerPrefix + 'swept', { scope: 'run', processes: swept.processes, survivors: swept.survivors });
      if (stopped) {
        const by = this.fatal ? `${this.fatal.code}: ${this.fatal.message}` : ((await this.options.stoppedBy?.().catch(() => null)) ?? `signal to pid ${process.pid}`);
        await this.journal(journalKinds.runStopped, { by, shipped, streams: total });
      }
      const entries = await this.entries();
      const scorecard = await scoreRun({
        runDir: this.store.dir,
        plan: this.plan,
        planDir: this.planDir,
        verdicts,
        journal: entries,
        mergedTree: this.repository ? this.repository.integrationTree : join(this.store.dir, 'merged'),
        canaries: this.canaries.values,
        // Marked like every check of the run, so a taker ends the scorer's test run of a conductor that died.
        checkEnv: checkEnv(this.store.dir, 'test', 'score'),
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

async function readJsonFile<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

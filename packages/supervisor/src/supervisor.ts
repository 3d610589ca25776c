import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { GovernorSample, WorkerIdentity } from '@godmode/protocol';
import type { AdoptRequest, SpawnRequest, SupervisorOptions } from './supervisor-options.js';
import { getAdapter, type AdapterEvent, type WorkerAdapter } from './adapters/adapter.js';
import './adapters/builtin.js';
import { UnknownAdapterError } from './errors/unknown-adapter-error.js';
import { SpawnRefusedError } from './errors/spawn-refused-error.js';
import { EventQueue } from './event-queue.js';
import type { StopReason, SupervisorEvent, WorkerFailure } from './events.js';
import { Governor } from './governor.js';
import { GovernorSampler } from './governor-sample.js';
import { isSameProcess } from './proc/identity.js';
import { portableMachineLoad, procMachineLoad, type MachineLoad } from './proc/machine-load.js';
import { processState, type ProcStat } from './proc/proc-stat.js';
import { processTable, type ProcessTable } from './proc/process-table.js';
import { childrenOf, workerTree } from './proc/process-tree.js';
import { ThermalSensor, type ThermalReading } from './proc/thermal.js';
import { startProcess } from './spawn/start-process.js';
import { workerEnvironment } from './spawn/worker-environment.js';
import { makeMark, markVar } from './worker/mark.js';
import { commandOf, findMembers, type Member } from './worker/members.js';
import { safeKill, signalGroup } from './worker/signals.js';
import { sleep, terminateMembers } from './worker/terminate.js';
import { linger } from './worker/linger.js';
import { stallReason } from './worker/stall.js';
import { freezeWorker, pauseWorker, resumeWorker } from './worker/stopping.js';
import { createTracked, primedDiskProgress, type Tracked } from './worker/tracked.js';
import type { DiskProgress } from './worker/disk-progress.js';

const now = () => performance.timeOrigin + performance.now();

/**
 * Spawns, watches, governs and reaps workers. It reports; it does not decide: a stall or an exhausted
 * budget is an event, and whether to reap is its caller's call (the caller reads the disk first). The one
 * thing it ends on its own is what a worker leaves behind when it exits: an attempt's descendants never
 * outlive it.
 */
export class Supervisor {
  readonly options: SupervisorOptions;
  private readonly workers = new Map<string, Tracked>();
  private readonly queue = new EventQueue<SupervisorEvent>();
  /** Filled only once someone iterates `governorSamples()`: nobody listening, nothing kept. */
  private readonly samples = new EventQueue<GovernorSample>();
  private samplesWanted = false;
  private readonly sampler = new GovernorSampler();
  private readonly governor: Governor;
  private readonly thermal = new ThermalSensor();
  private readonly table: ProcessTable;
  private readonly machine: MachineLoad;
  private ticks = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private lastLoad: number | null = null;
  private lastMemory: number | null;
  private admissionWaiters: Array<() => void> = [];
  private unstarted = 0;

  constructor(options: Partial<SupervisorOptions> = {}) {
    const stallWindowMs = options.stallWindowMs ?? 15 * 60_000;
    const table = options.processTable ?? processTable();
    const machine = options.machineLoad ?? (table.kind === 'proc' ? procMachineLoad() : portableMachineLoad());
    this.options = {
      samplePeriodMs: 1_000,
      cpuCeiling: 0.8,
      reapGraceMs: 10_000,
      resultGraceMs: 30_000,
      exitGraceMs: 3_000,
      exitLingerMs: 30_000,
      cores: machine.cores,
      idleCores: 0.02,
      mayAct: () => true,
      memoryFloor: 0.1,
      logCapBytes: 256 << 20,
      ...options,
      processTable: table,
      machineLoad: machine,
      stallWindowMs,
      spinWindowMs: options.spinWindowMs ?? stallWindowMs * 2,
    };
    this.table = table;
    this.machine = machine;
    this.lastMemory = machine.memoryAvailable();
    this.governor = new Governor({ ceiling: this.options.cpuCeiling, cores: this.options.cores, rotateAfterMs: Math.max(5_000, this.options.samplePeriodMs * 10) });
    machine.sample();
    this.timer = setInterval(() => this.tick(), this.options.samplePeriodMs);
    this.timer.unref?.();
  }

  events(): AsyncIterable<SupervisorEvent> {
    return this.queue;
  }

  /**
   * The machine as the governor saw it, one sample per sampling period that `governorSampleDue` lets
   * through (a change, or every tenth period): the machine's CPU, the ceiling, paused and live workers.
   * Journal them as `governor.sample`. Ends when the supervisor closes; one consumer.
   */
  governorSamples(): AsyncIterable<GovernorSample> {
    this.samplesWanted = true;
    return this.samples;
  }

  /** Workers whose attempt has not ended (a leader that exited while its descendants get their grace included). */
  live(): WorkerIdentity[] {
    return [...this.workers.values()].filter((w) => !w.exited).map((w) => w.identity);
  }

  offsets(identity: WorkerIdentity): { stdout: number; stderr: number } {
    const w = this.workers.get(keyOf(identity));
    return { stdout: w?.tails.stdout.offset ?? 0, stderr: w?.tails.stderr.offset ?? 0 };
  }

  /** Whether another worker may start now: the CPU governor admits and enough memory is available. */
  canAdmit(): boolean {
    return (this.governor.admitting || this.mayAdmitOne()) && this.memoryAdmits();
  }

  private memoryAdmits(): boolean {
    return this.lastMemory === null || this.lastMemory >= this.options.memoryFloor;
  }

  /** The governor's one worker when the load is someone else's: only while none of ours is live, and only once. */
  private mayAdmitOne(): boolean {
    if (!this.governor.admitOne) return false;
    // The same workers the governor counts: a leader that exited (its descendants' grace) or is being ended is not.
    for (const w of this.workers.values()) if (!w.exited && !w.settling && w.ending === null) return false;
    return true;
  }

  /** Takes one admission: the governor's single one (when that is why it admits) is used up until its next decision. */
  private takeAdmission(): void {
    if (!this.governor.admitting) this.governor.admitOne = false;
  }

  waitForAdmission(signal?: AbortSignal): Promise<void> {
    if (this.canAdmit()) {
      this.takeAdmission();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.admissionWaiters = this.admissionWaiters.filter((w) => w !== done);
        reject(new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.admissionWaiters.push(done);
    });
  }

  /**
   * Starts a worker. A worker that cannot start (binary missing, not executable) does not throw: its
   * identity has pid 0, and a `spawn-failed` event then an `exited` carrying the same `reason` follow.
   */
  async spawn(request: SpawnRequest): Promise<WorkerIdentity> {
    const adapter = getAdapter(request.spec.adapter);
    if (!adapter) throw new UnknownAdapterError(request.spec.adapter);
    mkdirSync(request.attemptDir, { recursive: true });
    mkdirSync(request.workdir, { recursive: true });
    const logs = { stdout: join(request.attemptDir, 'stdout.log'), stderr: join(request.attemptDir, 'stderr.log') };
    const mark = makeMark(request.stream, request.attempt);
    const launch = adapter.launch(request.spec, { workdir: request.workdir, env: { ...request.env }, ...(request.resumeSessionId ? { resumeSessionId: request.resumeSessionId } : {}) });
    // Checked as late as possible: a caller paused (SIGSTOP) between its own check and this call may
    // have lost its lease meanwhile, and a worker started now would belong to nobody.
    if (this.closed) throw new SpawnRefusedError({ stream: request.stream, reason: 'the supervisor is closed' });
    if (!this.options.mayAct()) throw new SpawnRefusedError({ stream: request.stream, reason: 'its caller may no longer act (lease lost or expired)' });
    const env = workerEnvironment(process.env, launch, mark, request.envPolicy);
    const disk = primedDiskProgress(request.workdir, logs);
    const started = await startProcess(launch, { cwd: request.workdir, env, logs, ...(adapter.installHint ? { installHint: adapter.installHint } : {}) });
    if (!started.ok) return this.notStarted(request, [launch.file, ...launch.args].join(' '), started.failure);
    const pid = started.pid;
    const stat = this.table.stat(pid);
    const identity: WorkerIdentity = {
      stream: request.stream,
      attempt: request.attempt,
      pid,
      startTime: stat?.startTime ?? '0',
      cmdline: (stat as { command?: string } | null)?.command ?? this.table.cmdline(pid) ?? [launch.file, ...launch.args].join(' '),
      pgid: pid,
    };
    const tracked = this.track(identity, adapter, started.child, logs, { stdout: 0, stderr: 0 }, request.workdir, mark, now(), request.budgetMs ?? null, disk);
    this.emit(tracked, { type: 'spawned', logs, workdir: request.workdir });
    started.child.then((result) => this.leaderExited(tracked, result.exitCode ?? null, (result.signal as string | undefined) ?? null));
    return identity;
  }

  private notStarted(request: SpawnRequest, cmdline: string, reason: WorkerFailure): WorkerIdentity {
    const identity: WorkerIdentity = { stream: request.stream, attempt: request.attempt, pid: 0, startTime: `not-started-${++this.unstarted}-${Date.now()}`, cmdline, pgid: 0 };
    const base = { worker: identity, t: now(), at: new Date().toISOString() };
    this.queue.push({ ...base, type: 'spawn-failed', reason });
    this.queue.push({ ...base, type: 'exited', how: 'exited', exitCode: null, signal: null, stopped: null, reason });
    return identity;
  }

  /** Takes over a live worker another supervisor started: same pid and start time, and its environment mark names its stream and attempt. */
  async adopt(request: AdoptRequest): Promise<boolean> {
    if (!isSameProcess(request.identity, this.table)) return false;
    if (this.workers.has(keyOf(request.identity))) return true;
    const adapter = getAdapter(request.spec.adapter);
    const mark = this.table.envVar(markVar, [request.identity.pid]).get(request.identity.pid) ?? '';
    const tracked = this.track(request.identity, adapter, null, request.logs, request.offsets, request.workdir, mark, request.startedAtMs ?? now(), request.budgetMs ?? null);
    this.emit(tracked, { type: 'adopted', offsets: request.offsets });
    // A worker paused by a supervisor that then died would stay stopped forever: resume it and all that
    // carries its mark, and let this supervisor's governor decide afresh.
    const members = this.members(tracked);
    if (members.some((p) => p.state === 'T') && this.options.mayAct()) {
      signalGroup(this.table, request.identity, 'SIGCONT');
      for (const p of members) safeKill(p.pid, 'SIGCONT');
      this.emit(tracked, { type: 'resumed', reason: 'adopted while paused by its previous supervisor' });
    }
    this.readOutput(tracked);
    return true;
  }

  private track(identity: WorkerIdentity, adapter: WorkerAdapter | undefined, child: ResultPromise | null, logs: { stdout: string; stderr: string }, offsets: { stdout: number; stderr: number }, workdir: string, mark: string, startedAt: number, budgetMs: number | null, disk?: DiskProgress): Tracked {
    const { stallWindowMs, spinWindowMs, samplePeriodMs, logCapBytes } = this.options;
    const tracked = createTracked({ identity, adapter, child, logs, offsets, workdir, mark, startedAt, budgetMs, logCapBytes, cpuKeepMs: Math.max(stallWindowMs, spinWindowMs, this.cpuWindowMs) + 2 * samplePeriodMs, ...(disk ? { disk } : {}) }, now());
    tracked.tails.stdout.freezer = tracked.tails.stderr.freezer = () => (this.options.mayAct() ? freezeWorker(this.table, tracked, this.members(tracked)) : () => {});
    this.workers.set(keyOf(identity), tracked);
    return tracked;
  }

  /** The window a worker's CPU share is averaged over for the governor: one period, or more where the table's clock is coarse. */
  private get cpuWindowMs(): number {
    return Math.max(this.options.samplePeriodMs, this.table.cpuResolutionSeconds * 3_000);
  }

  private emit(w: Tracked, event: Record<string, unknown>): void {
    this.queue.push({ ...event, worker: w.identity, t: now(), at: new Date().toISOString() } as SupervisorEvent);
  }

  private emitAdapter(w: Tracked, e: AdapterEvent): void {
    if (e.type === 'result') {
      w.resultAt = now();
      w.resultWasError = e.isError;
    }
    if (e.type === 'rate-limited') w.rateLimitedUntil = e.resetsAt ? Date.parse(e.resetsAt) : Date.now() + 60_000;
    w.failures.observe(e);
    this.emit(w, e as unknown as Record<string, unknown>);
  }

  /** New output since the last read: one `output` event per stream per period, adapter events per line. */
  private readOutput(w: Tracked, final = false): boolean {
    let any = false;
    for (const stream of ['stdout', 'stderr'] as const) {
      const tail = w.tails[stream];
      const { bytes, lines } = tail.read();
      const all = final ? [...lines, ...tail.flush()] : lines;
      if (bytes === 0 && all.length === 0) continue;
      any = true;
      const last = all.at(-1);
      this.emit(w, { type: 'output', stream, bytes, ...(last !== undefined ? { line: last.slice(0, 400) } : {}) });
      if (w.adapter?.parseLine) for (const line of all) for (const e of w.adapter.parseLine(line, stream)) this.emitAdapter(w, e);
    }
    return any;
  }

  /** Disk progress since the last scan, reported; true when anything was written. */
  private readDisk(w: Tracked): boolean {
    const disk = w.disk.scan();
    if (disk.created + disk.changed === 0) return false;
    this.emit(w, { type: 'progress', ...disk });
    return true;
  }

  private tick(): void {
    if (this.closed) return;
    const sampled = this.machine.sample();
    if (this.ticks++ % 10 === 0) this.thermal.refresh(sampled);
    // Under thermal pressure (a falling clock under load) the governor acts as if 10 points busier.
    const load = sampled !== null && this.thermal.current().throttled ? Math.min(1, sampled + 0.1) : sampled;
    this.lastLoad = load;
    this.lastMemory = this.machine.memoryAvailable();
    const watched = [...this.workers.values()].filter((w) => !w.exited && !w.settling);
    const table = watched.length > 0 ? this.table.scan() : new Map<number, ProcStat>();
    const t = now();
    const children = childrenOf(table);
    for (const w of watched) {
      try {
        this.sampleWorker(w, table, t, children);
      } catch {
        // A worker that vanished mid-sample is picked up by the exit check next period.
      }
    }
    this.govern(load, t);
    if (this.samplesWanted) this.sampleGovernor(sampled, t);
    if (this.canAdmit()) {
      if (this.governor.admitting) {
        const waiters = this.admissionWaiters;
        this.admissionWaiters = [];
        for (const w of waiters) w();
      } else {
        // Over the ceiling on someone else's load: one waiter, the longest waiting.
        const first = this.admissionWaiters.shift();
        if (first) {
          this.takeAdmission();
          first();
        }
      }
    }
  }

  /** The machine after this period's decisions, for `governorSamples()` (when due). */
  private sampleGovernor(cpu: number | null, t: number): void {
    let paused = 0;
    let workers = 0;
    for (const w of this.workers.values()) {
      if (w.exited) continue;
      workers++;
      if (w.paused) paused++;
    }
    const sample: GovernorSample = {
      t: Math.round(t),
      at: new Date().toISOString(),
      cpu: cpu === null || !Number.isFinite(cpu) ? null : Math.round(Math.min(1, Math.max(0, cpu)) * 1000) / 1000,
      ceiling: this.options.cpuCeiling,
      paused,
      workers,
      ...(this.thermal.current().throttled ? { throttled: true as const } : {}),
    };
    if (this.sampler.offer(sample)) this.samples.push(sample);
  }

  private sampleWorker(w: Tracked, table: Map<number, ProcStat>, t: number, children: Map<number, number[]>): void {
    const elapsed = t - w.lastTick;
    w.lastTick = t;
    const leader = table.get(w.identity.pid);
    const alive = leader !== undefined && leader.startTime === w.identity.startTime && leader.state !== 'Z';
    const tree = alive ? workerTree(table, w.identity, w.known, children) : [];
    const ticks = tree.reduce((sum, p) => sum + p.utime + p.stime, 0);
    w.cpu.add(t, ticks);
    w.cores = w.cpu.cores(this.cpuWindowMs);

    const output = this.readOutput(w);
    const wrote = this.readDisk(w);

    // The stall clock does not run while the worker is paused by us or waiting out a usage limit.
    const clockStopped = w.paused || (w.rateLimitedUntil !== null && Date.now() < w.rateLimitedUntil);
    if (output || wrote) {
      w.quietMs = 0;
      w.stalledReported = false;
    } else if (!clockStopped) {
      w.quietMs += elapsed;
    }

    this.emit(w, {
      type: 'sample',
      state: alive ? processState(leader) : 'gone',
      cpuSeconds: ticks / 100,
      cpuShare: w.cores,
      processes: tree.length,
      quietMs: Math.round(w.quietMs),
    });

    if (!alive) {
      // An adopted worker is not our child: its exit is seen here, with its code unknown.
      if (!w.child) this.leaderExited(w, null, null);
      return;
    }
    if (!w.stalledReported) this.checkStall(w);
    if (w.budgetMs !== null && !w.budgetReported) {
      const used = t - w.startedAt - w.pausedTotalMs - (w.paused && w.pausedAt ? t - w.pausedAt : 0);
      if (used >= w.budgetMs) {
        w.budgetReported = true;
        this.emit(w, { type: 'budget-exceeded', budgetMs: w.budgetMs });
      }
    }
    if (w.resultAt !== null && w.ending === null && t - w.resultAt >= this.options.resultGraceMs) {
      w.ending = 'after-result';
      void this.terminate(w, this.options.reapGraceMs);
    }
  }

  private checkStall(w: Tracked): void {
    const reason = stallReason(w.quietMs, w.cpu.cores(this.options.stallWindowMs), this.options);
    if (reason === null) return;
    w.stalledReported = true;
    this.emit(w, { type: 'stalled', quietMs: Math.round(w.quietMs), reason });
  }

  private govern(load: number | null, t: number): void {
    const live = [...this.workers.values()].filter((w) => !w.exited && !w.settling && w.ending === null);
    const actions = this.governor.decide(
      load,
      live.map((w) => ({ key: keyOf(w.identity), label: w.identity.stream, startedAt: w.startedAt, paused: w.paused, pausedAt: w.pausedAt, cores: w.cores, coresBeforePause: w.coresBeforePause })),
      t,
    );
    for (const action of actions) {
      const w = this.workers.get(action.key);
      if (!w || !this.options.mayAct()) continue;
      if (action.kind === 'pause' && !w.paused) {
        if (!pauseWorker(this.table, w, this.members(w))) continue;
        w.paused = true;
        w.pausedAt = t;
        w.coresBeforePause = w.cores;
        this.emit(w, { type: 'paused', reason: action.reason });
      } else if (action.kind === 'resume' && w.paused) {
        resumeWorker(this.table, w, this.members(w));
        w.paused = false;
        w.pausedTotalMs += t - (w.pausedAt ?? t);
        w.pausedAt = null;
        this.emit(w, { type: 'resumed', reason: action.reason });
      }
    }
  }

  /**
   * The leader is gone. What it leaves behind gets `exitGraceMs` of quiet (restarted by any output, disk write
   * or CPU over the floor, up to `exitLingerMs`) so a background child finishing a deliverable is counted; then
   * everything left that carries the attempt's group, session or mark is swept, the disk read a last time, and
   * only then is `exited` emitted — so whoever reconciles on `exited` sees the final disk.
   */
  private leaderExited(w: Tracked, exitCode: number | null, signal: string | null): void {
    if (w.exited || w.settling) return;
    w.settling = true;
    void this.settle(w, exitCode, signal).catch(() => this.finish(w, exitCode, signal));
  }

  private async settle(w: Tracked, exitCode: number | null, signal: string | null): Promise<void> {
    if (w.ending === null) {
      const { members, lingeredMs } = await linger({
        members: () => this.members(w),
        readOutput: () => this.readOutput(w),
        readDisk: () => this.readDisk(w),
        done: () => w.ending !== null || this.closed,
        graceMs: this.options.exitGraceMs,
        lingerMs: this.options.exitLingerMs,
        periodMs: Math.min(this.options.samplePeriodMs, 250),
        idleCores: this.options.idleCores,
      });
      if (members.length > 0 && w.ending === null && !this.closed && this.options.mayAct()) {
        const processes = members.map((p) => ({ pid: p.pid, command: commandOf(this.table, p), via: p.via }));
        const survivors = await terminateMembers(() => this.members(w), () => {}, Math.min(this.options.reapGraceMs, 2_000));
        this.emit(w, { type: 'swept', processes, survivors, lingeredMs });
      }
    }
    this.finish(w, exitCode, signal);
  }

  /** The final read of output and disk, then `exited`. */
  private finish(w: Tracked, exitCode: number | null, signal: string | null): void {
    if (w.exited) return;
    w.exited = true;
    this.readOutput(w, true);
    try {
      this.readDisk(w);
    } catch {
      // a work tree removed under us has nothing more to count
    }
    const how = w.ending === 'reaped' || w.ending === 'unrecorded' ? 'reaped' : w.ending === 'after-result' ? 'after-result' : w.child ? 'exited' : 'vanished';
    w.tails.stdout.close();
    w.tails.stderr.close();
    this.emit(w, { type: 'exited', how, exitCode, signal, stopped: w.ending, reason: w.failures.reason(exitCode, w.resultWasError) });
    for (const resolve of w.exitWaiters) resolve();
    w.exitWaiters = [];
  }

  /** SIGTERM to the whole tree and everything marked, a grace period, then SIGKILL to whatever is left. */
  private async terminate(w: Tracked, graceMs: number, gated = true): Promise<number> {
    if (gated && !this.options.mayAct()) return -1;
    const left = await terminateMembers(() => this.members(w), (s) => void signalGroup(this.table, w.identity, s), graceMs);
    if (w.paused) {
      w.paused = false;
      w.pausedAt = null;
    }
    // The leader's exit event may lag its death; give it a moment so callers see `exited` in order.
    if (!w.exited && (w.child || w.settling)) await Promise.race([new Promise<void>((r) => w.exitWaiters.push(r)), sleep(2_000)]);
    if (!w.exited && !w.child) this.finish(w, null, 'SIGKILL');
    return left;
  }

  /** Every live process of the worker: its tree, plus anything carrying its environment mark. */
  private members(w: Tracked): Member[] {
    return findMembers(this.table, w.identity, w.known, w.mark || null);
  }

  /** Ends a worker its caller decided to end (after reading its disk). Nothing of its tree runs afterwards. */
  async reap(identity: WorkerIdentity, options: { graceMs?: number } = {}): Promise<{ survivors: number; refused?: true }> {
    const w = this.workers.get(keyOf(identity));
    if (!w || w.exited) return { survivors: 0 };
    // A caller that lost its lease signals nobody, and must not be told that it reaped.
    if (!this.options.mayAct()) return { survivors: 0, refused: true };
    w.ending = 'reaped';
    const survivors = await this.terminate(w, options.graceMs ?? this.options.reapGraceMs);
    this.emit(w, { type: 'reaped', signal: survivors === 0 ? 'SIGTERM' : 'SIGKILL', survivors: Math.max(0, survivors) });
    return { survivors: Math.max(0, survivors) };
  }

  /**
   * Ends a worker this supervisor started whose spawn its caller could not record (the lease was lost
   * between the spawn and the journal entry). Not gated on mayAct like reap: the worker is this process's
   * own child, no journal names it, and left alone it would run with nobody to conduct it.
   */
  async endUnrecorded(identity: WorkerIdentity): Promise<void> {
    const w = this.workers.get(keyOf(identity));
    if (!w || w.exited || w.child === null) return;
    w.ending = 'unrecorded';
    await this.terminate(w, 0, false);
  }

  /** Stops a worker whose work is done (shipped, or finished but alive): not a kill of legitimate work, and its `exited` says so (`stopped`). */
  async stopGracefully(identity: WorkerIdentity, options: { graceMs?: number } = {}): Promise<void> {
    const w = this.workers.get(keyOf(identity));
    if (!w || w.exited) return;
    w.ending = w.resultAt !== null ? 'after-result' : 'stopped';
    await this.terminate(w, options.graceMs ?? this.options.reapGraceMs);
  }

  /** Stops watching. Workers keep running: they outlive their supervisor by design. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.workers.values()) {
      if (!w.exited) this.readOutput(w);
      w.tails.stdout.close();
      w.tails.stderr.close();
    }
    this.queue.close();
    this.samples.close();
  }

  get load(): number | null {
    return this.lastLoad;
  }

  /** Available memory as a share of RAM, as last sampled; null where it cannot be read. */
  get memoryAvailable(): number | null {
    return this.lastMemory;
  }

  /** Temperature and clock as last read, for live views. */
  get thermalReading(): ThermalReading {
    return this.thermal.current();
  }

  /** Which process table this supervisor reads (`proc` or `ps`). */
  get processTableKind(): ProcessTable['kind'] {
    return this.table.kind;
  }
}

function keyOf(identity: Pick<WorkerIdentity, 'pid' | 'startTime'>): string {
  return `${identity.pid}:${identity.startTime}`;
}



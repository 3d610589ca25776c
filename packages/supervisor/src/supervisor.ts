import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';
import type { WorkerEvent, WorkerIdentity, WorkerSpec } from '@godmode/protocol';
import { getAdapter, type AdapterEvent, type WorkerAdapter } from './adapters/adapter.js';
import './adapters/builtin.js';
import { UnknownAdapterError } from './errors/unknown-adapter-error.js';
import { SpawnError } from './errors/spawn-error.js';
import { SpawnRefusedError } from './errors/spawn-refused-error.js';
import { EventQueue } from './event-queue.js';
import { Governor } from './governor.js';
import { readIdentity } from './proc/identity.js';
import { processState, readProcStat, scanProcesses, type ProcStat } from './proc/proc-stat.js';
import { childrenOf, workerTree } from './proc/process-tree.js';
import { CLOCK_TICKS, memoryAvailableShare, SystemCpu } from './proc/system-load.js';
import { ThermalSensor, type ThermalReading } from './proc/thermal.js';
import { DiskProgress } from './worker/disk-progress.js';
import { LogTail } from './worker/log-tail.js';

export interface SupervisorOptions {
  samplePeriodMs: number;
  /** Share of all cores (0..1) the governor keeps the machine under. */
  cpuCeiling: number;
  /** No output, no disk progress and no CPU for this long: stalled. */
  stallWindowMs: number;
  /** CPU alone keeps a quiet worker alive only this long (default 2× the stall window). */
  spinWindowMs: number;
  reapGraceMs: number;
  /** A worker still alive this long after its final result is stopped gracefully. */
  resultGraceMs: number;
  cores: number;
  /** CPU below this many cores over a period is not "meaningful". */
  idleCores: number;
  /** Checked before any signal is sent: a conductor that lost its lease must not act. */
  mayAct: () => boolean;
  /**
   * Share of RAM (0..1, MemAvailable / MemTotal) that must be free to admit another worker. Pausing frees
   * no memory, so memory pressure only stops admission; it never pauses or kills.
   */
  memoryFloor: number;
}

export interface SpawnRequest {
  stream: string;
  attempt: number;
  spec: WorkerSpec;
  workdir: string;
  attemptDir: string;
  env?: Record<string, string>;
  budgetMs?: number;
}

export interface AdoptRequest {
  identity: WorkerIdentity;
  spec: WorkerSpec;
  workdir: string;
  logs: { stdout: string; stderr: string };
  offsets: { stdout: number; stderr: number };
  budgetMs?: number;
  startedAtMs?: number;
}

interface Tracked {
  identity: WorkerIdentity;
  adapter: WorkerAdapter | undefined;
  child: ResultPromise | null;
  tails: { stdout: LogTail; stderr: LogTail };
  disk: DiskProgress;
  known: Map<number, string>;
  marker: string;
  startedAt: number;
  budgetMs: number | null;
  paused: boolean;
  pausedAt: number | null;
  pausedTotalMs: number;
  cores: number;
  coresBeforePause: number;
  cpuTicks: number | null;
  quietMs: number;
  cpuQuietMs: number;
  lastTick: number;
  rateLimitedUntil: number | null;
  resultAt: number | null;
  stalledReported: boolean;
  budgetReported: boolean;
  ending: 'reaped' | 'after-result' | 'stopped' | null;
  exited: boolean;
  exitWaiters: Array<() => void>;
}

const now = () => performance.timeOrigin + performance.now();
const markerVar = 'GODMODE_WORKER_MARK';

/**
 * Spawns, watches, governs and reaps workers. It reports; it does not decide: a stall or an exhausted
 * budget is an event, and whether to reap is its caller's call (the caller reads the disk first).
 */
export class Supervisor {
  readonly options: SupervisorOptions;
  private readonly workers = new Map<string, Tracked>();
  private readonly queue = new EventQueue<WorkerEvent>();
  private readonly cpu = new SystemCpu();
  private readonly governor: Governor;
  private readonly thermal = new ThermalSensor();
  private ticks = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private lastLoad: number | null = null;
  private lastMemory: number | null = memoryAvailableShare();
  private admissionWaiters: Array<() => void> = [];

  constructor(options: Partial<SupervisorOptions> = {}) {
    const stallWindowMs = options.stallWindowMs ?? 15 * 60_000;
    this.options = {
      samplePeriodMs: 1_000,
      cpuCeiling: 0.8,
      reapGraceMs: 10_000,
      resultGraceMs: 30_000,
      cores: this.cpu.cores,
      idleCores: 0.02,
      mayAct: () => true,
      memoryFloor: 0.1,
      ...options,
      stallWindowMs,
      spinWindowMs: options.spinWindowMs ?? stallWindowMs * 2,
    };
    this.governor = new Governor({ ceiling: this.options.cpuCeiling, cores: this.options.cores, rotateAfterMs: Math.max(5_000, this.options.samplePeriodMs * 10) });
    this.cpu.sample();
    this.timer = setInterval(() => this.tick(), this.options.samplePeriodMs);
    this.timer.unref?.();
  }

  events(): AsyncIterable<WorkerEvent> {
    return this.queue;
  }

  live(): WorkerIdentity[] {
    return [...this.workers.values()].filter((w) => !w.exited).map((w) => w.identity);
  }

  offsets(identity: WorkerIdentity): { stdout: number; stderr: number } {
    const w = this.workers.get(keyOf(identity));
    return { stdout: w?.tails.stdout.offset ?? 0, stderr: w?.tails.stderr.offset ?? 0 };
  }

  /** Whether another worker may start now: the CPU governor admits and enough memory is available. */
  canAdmit(): boolean {
    return this.governor.admitting && (this.lastMemory === null || this.lastMemory >= this.options.memoryFloor);
  }

  waitForAdmission(signal?: AbortSignal): Promise<void> {
    if (this.canAdmit()) return Promise.resolve();
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

  async spawn(request: SpawnRequest): Promise<WorkerIdentity> {
    const adapter = getAdapter(request.spec.adapter);
    if (!adapter) throw new UnknownAdapterError(request.spec.adapter);
    mkdirSync(request.attemptDir, { recursive: true });
    mkdirSync(request.workdir, { recursive: true });
    const logs = { stdout: join(request.attemptDir, 'stdout.log'), stderr: join(request.attemptDir, 'stderr.log') };
    const marker = `${request.stream}:${request.attempt}:${process.pid}:${Date.now()}`;
    const launch = adapter.launch(request.spec, { workdir: request.workdir, env: { ...request.env } });
    // Checked as late as possible: a caller paused (SIGSTOP) between its own check and this call may
    // have lost its lease meanwhile, and a worker started now would belong to nobody.
    if (this.closed) throw new SpawnRefusedError({ stream: request.stream, reason: 'the supervisor is closed' });
    if (!this.options.mayAct()) throw new SpawnRefusedError({ stream: request.stream, reason: 'its caller may no longer act (lease lost or expired)' });
    const env: Record<string, string | undefined> = { ...process.env, ...launch.env, [markerVar]: marker };
    for (const [k, v] of Object.entries(launch.env)) if (v === undefined) delete env[k];
    // The worker writes its own log files: it keeps writing if this process dies.
    const out = openSync(logs.stdout, 'a');
    const err = openSync(logs.stderr, 'a');
    let child: ResultPromise;
    try {
      const options: Options = {
        cwd: request.workdir,
        env: env as Record<string, string>,
        extendEnv: false,
        detached: true,
        cleanup: false,
        reject: false,
        stdin: 'ignore',
        stdout: out as unknown as 1,
        stderr: err as unknown as 2,
      };
      child = execa(launch.file, launch.args, options) as unknown as ResultPromise;
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const pid = child.pid;
    if (pid === undefined) {
      const result = await child;
      throw new SpawnError({ file: launch.file, args: launch.args, reason: String(result.message ?? 'no pid') });
    }
    const id = readIdentity(pid);
    const identity: WorkerIdentity = {
      stream: request.stream,
      attempt: request.attempt,
      pid,
      startTime: id?.startTime ?? '0',
      cmdline: id?.cmdline ?? [launch.file, ...launch.args].join(' '),
      pgid: pid,
    };
    const tracked = this.track(identity, adapter, child, logs, { stdout: 0, stderr: 0 }, request.workdir, marker, now(), request.budgetMs ?? null);
    this.emit(tracked, { type: 'spawned', logs, workdir: request.workdir });
    child.then((result) => this.onExit(tracked, result.exitCode ?? null, (result.signal as string | undefined) ?? null));
    return identity;
  }

  async adopt(request: AdoptRequest): Promise<boolean> {
    const id = readIdentity(request.identity.pid);
    if (!id || id.startTime !== request.identity.startTime || id.cmdline !== request.identity.cmdline) return false;
    if (this.workers.has(keyOf(request.identity))) return true;
    const adapter = getAdapter(request.spec.adapter);
    const marker = readMarker(request.identity.pid) ?? '';
    const tracked = this.track(request.identity, adapter, null, request.logs, request.offsets, request.workdir, marker, request.startedAtMs ?? now(), request.budgetMs ?? null);
    this.emit(tracked, { type: 'adopted', offsets: request.offsets });
    // A worker paused by a supervisor that then died would stay stopped forever: resume it and let
    // this supervisor's governor decide afresh.
    if (readProcStat(request.identity.pid)?.state === 'T' && this.options.mayAct()) {
      signalGroup(request.identity, 'SIGCONT');
      this.emit(tracked, { type: 'resumed', reason: 'adopted while paused by its previous supervisor' });
    }
    this.readOutput(tracked);
    return true;
  }

  private track(identity: WorkerIdentity, adapter: WorkerAdapter | undefined, child: ResultPromise | null, logs: { stdout: string; stderr: string }, offsets: { stdout: number; stderr: number }, workdir: string, marker: string, startedAt: number, budgetMs: number | null): Tracked {
    const logFiles = new Set([logs.stdout, logs.stderr]);
    const tracked: Tracked = {
      identity,
      adapter,
      child,
      tails: { stdout: new LogTail(logs.stdout, offsets.stdout), stderr: new LogTail(logs.stderr, offsets.stderr) },
      disk: new DiskProgress(workdir, (p) => logFiles.has(p)),
      known: new Map(),
      marker,
      startedAt,
      budgetMs,
      paused: false,
      pausedAt: null,
      pausedTotalMs: 0,
      cores: 0,
      coresBeforePause: 0,
      cpuTicks: null,
      quietMs: 0,
      cpuQuietMs: 0,
      lastTick: now(),
      rateLimitedUntil: null,
      resultAt: null,
      stalledReported: false,
      budgetReported: false,
      ending: null,
      exited: false,
      exitWaiters: [],
    };
    tracked.disk.scan();
    this.workers.set(keyOf(identity), tracked);
    return tracked;
  }

  private emit(w: Tracked, event: Record<string, unknown>): void {
    this.queue.push({ ...event, worker: w.identity, t: now(), at: new Date().toISOString() } as WorkerEvent);
  }

  private emitAdapter(w: Tracked, e: AdapterEvent): void {
    if (e.type === 'result') w.resultAt = now();
    if (e.type === 'rate-limited') w.rateLimitedUntil = e.resetsAt ? Date.parse(e.resetsAt) : Date.now() + 60_000;
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

  private tick(): void {
    if (this.closed) return;
    const sampled = this.cpu.sample();
    if (this.ticks++ % 10 === 0) this.thermal.refresh(sampled);
    // Under thermal pressure (a falling clock under load) the governor acts as if 10 points busier.
    const load = sampled !== null && this.thermal.current().throttled ? Math.min(1, sampled + 0.1) : sampled;
    this.lastLoad = load;
    this.lastMemory = memoryAvailableShare();
    const table = this.workers.size > 0 ? scanProcesses() : new Map<number, ProcStat>();
    const t = now();
    const children = childrenOf(table);
    for (const w of this.workers.values()) {
      if (w.exited) continue;
      try {
        this.sampleWorker(w, table, t, children);
      } catch {
        // A worker that vanished mid-sample is picked up by the exit check next period.
      }
    }
    this.govern(load, t);
    if (this.canAdmit()) {
      const waiters = this.admissionWaiters;
      this.admissionWaiters = [];
      for (const w of waiters) w();
    }
  }

  private sampleWorker(w: Tracked, table: Map<number, ProcStat>, t: number, children: Map<number, number[]>): void {
    const elapsed = t - w.lastTick;
    w.lastTick = t;
    const leader = table.get(w.identity.pid);
    const alive = leader !== undefined && leader.startTime === w.identity.startTime && leader.state !== 'Z';
    const tree = alive ? workerTree(table, w.identity, w.known, children) : [];
    const ticks = tree.reduce((sum, p) => sum + p.utime + p.stime, 0);
    const delta = w.cpuTicks === null ? 0 : Math.max(0, ticks - w.cpuTicks);
    w.cpuTicks = ticks;
    w.cores = elapsed > 0 ? delta / CLOCK_TICKS / (elapsed / 1000) : 0;

    const output = this.readOutput(w);
    const disk = w.disk.scan();
    if (disk.created + disk.changed > 0) this.emit(w, { type: 'progress', ...disk });

    // The stall clock does not run while the worker is paused by us or waiting out a usage limit.
    const clockStopped = w.paused || (w.rateLimitedUntil !== null && Date.now() < w.rateLimitedUntil);
    if (output || disk.created + disk.changed > 0) {
      w.quietMs = 0;
      w.cpuQuietMs = 0;
      w.stalledReported = false;
    } else if (!clockStopped) {
      w.quietMs += elapsed;
      if (w.cores >= this.options.idleCores) w.cpuQuietMs = 0;
      else w.cpuQuietMs += elapsed;
    }
    if (w.cores >= this.options.idleCores && !clockStopped) w.cpuQuietMs = 0;

    this.emit(w, {
      type: 'sample',
      state: alive ? processState(leader) : 'gone',
      cpuSeconds: ticks / CLOCK_TICKS,
      cpuShare: w.cores,
      processes: tree.length,
      quietMs: Math.round(w.quietMs),
    });

    if (!alive) {
      // An adopted worker is not our child: its exit is seen here, with its code unknown.
      if (!w.child) this.onExit(w, null, null);
      return;
    }
    if (!w.stalledReported) {
      const { stallWindowMs, spinWindowMs } = this.options;
      if (w.quietMs >= stallWindowMs && w.cpuQuietMs >= stallWindowMs) {
        w.stalledReported = true;
        this.emit(w, { type: 'stalled', quietMs: Math.round(w.quietMs), reason: `no output, no disk writes and no CPU for ${seconds(w.quietMs)}` });
      } else if (w.quietMs >= spinWindowMs) {
        w.stalledReported = true;
        this.emit(w, { type: 'stalled', quietMs: Math.round(w.quietMs), reason: `busy CPU but no output and no disk writes for ${seconds(w.quietMs)} (spin window)` });
      }
    }
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

  private govern(load: number | null, t: number): void {
    const live = [...this.workers.values()].filter((w) => !w.exited && w.ending === null);
    const actions = this.governor.decide(
      load,
      live.map((w) => ({ key: keyOf(w.identity), label: w.identity.stream, startedAt: w.startedAt, paused: w.paused, pausedAt: w.pausedAt, cores: w.cores, coresBeforePause: w.coresBeforePause })),
      t,
    );
    for (const action of actions) {
      const w = this.workers.get(action.key);
      if (!w || !this.options.mayAct()) continue;
      if (action.kind === 'pause' && !w.paused) {
        if (!signalGroup(w.identity, 'SIGSTOP')) continue;
        w.paused = true;
        w.pausedAt = t;
        w.coresBeforePause = w.cores;
        this.emit(w, { type: 'paused', reason: action.reason });
      } else if (action.kind === 'resume' && w.paused) {
        signalGroup(w.identity, 'SIGCONT');
        w.paused = false;
        w.pausedTotalMs += t - (w.pausedAt ?? t);
        w.pausedAt = null;
        this.emit(w, { type: 'resumed', reason: action.reason });
      }
    }
  }

  private onExit(w: Tracked, exitCode: number | null, signal: string | null): void {
    if (w.exited) return;
    w.exited = true;
    this.readOutput(w, true);
    const how = w.ending === 'reaped' ? 'reaped' : w.ending === 'after-result' ? 'after-result' : w.child ? 'exited' : 'vanished';
    w.tails.stdout.close();
    w.tails.stderr.close();
    this.emit(w, { type: 'exited', how, exitCode, signal });
    for (const resolve of w.exitWaiters) resolve();
    w.exitWaiters = [];
  }

  /** SIGTERM to the whole tree, a grace period, then SIGKILL to whatever is left, setsid'd descendants included. */
  private async terminate(w: Tracked, graceMs: number, gated = true): Promise<number> {
    if (gated && !this.options.mayAct()) return -1;
    const members = () => this.members(w);
    signalGroup(w.identity, 'SIGCONT');
    signalGroup(w.identity, 'SIGTERM');
    for (const p of members()) safeKill(p.pid, 'SIGTERM');
    const deadline = now() + graceMs;
    while (now() < deadline && members().length > 0) await sleep(50);
    let left = members();
    for (let round = 0; left.length > 0 && round < 20; round++) {
      signalGroup(w.identity, 'SIGKILL');
      for (const p of left) safeKill(p.pid, 'SIGKILL');
      await sleep(50);
      left = members();
    }
    if (w.paused) {
      w.paused = false;
      w.pausedAt = null;
    }
    // The leader's exit event may lag its death; give it a moment so callers see `exited` in order.
    if (!w.exited && w.child) await Promise.race([new Promise<void>((r) => w.exitWaiters.push(r)), sleep(2_000)]);
    if (!w.exited && !w.child) this.onExit(w, null, 'SIGKILL');
    return left.length;
  }

  /** Every live process of the worker: its tree, plus anything carrying its environment mark. */
  private members(w: Tracked): ProcStat[] {
    const table = scanProcesses();
    const tree = new Map(workerTree(table, w.identity, w.known).filter((p) => p.state !== 'Z').map((p) => [p.pid, p]));
    if (w.marker) {
      for (const p of table.values()) {
        if (tree.has(p.pid) || p.state === 'Z' || p.pid === process.pid) continue;
        if (readMarker(p.pid) === w.marker) tree.set(p.pid, p);
      }
    }
    return [...tree.values()];
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
    w.ending = 'reaped';
    await this.terminate(w, 0, false);
  }

  /** Stops a worker whose work is done (shipped, or finished but alive): not a kill of legitimate work. */
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
  }

  get load(): number | null {
    return this.lastLoad;
  }

  /** MemAvailable / MemTotal as last sampled; null where /proc/meminfo cannot be read. */
  get memoryAvailable(): number | null {
    return this.lastMemory;
  }

  /** Temperature and clock as last read, for live views. */
  get thermalReading(): ThermalReading {
    return this.thermal.current();
  }
}

function keyOf(identity: Pick<WorkerIdentity, 'pid' | 'startTime'>): string {
  return `${identity.pid}:${identity.startTime}`;
}

function signalGroup(identity: WorkerIdentity, signal: NodeJS.Signals): boolean {
  const stat = readProcStat(identity.pid);
  if (!stat || stat.startTime !== identity.startTime) return false;
  try {
    process.kill(-identity.pgid, signal);
    return true;
  } catch {
    return safeKill(identity.pid, signal);
  }
}

function safeKill(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

function readMarker(pid: number): string | null {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
    const at = env.indexOf(`${markerVar}=`);
    if (at < 0) return null;
    const end = env.indexOf('\0', at);
    return env.slice(at + markerVar.length + 1, end < 0 ? undefined : end);
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}


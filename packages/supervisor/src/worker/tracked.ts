import type { WorkerIdentity } from '@godmode/protocol';
import type { ResultPromise } from 'execa';
import type { WorkerAdapter } from '../adapters/adapter.js';
import type { StopReason } from '../events.js';
import { CpuWindow } from './cpu-window.js';
import { DiskProgress } from './disk-progress.js';
import { FailureWatch } from './failure-watch.js';
import { LogTail } from './log-tail.js';

/** What a supervisor knows and remembers of one worker. */
export interface Tracked {
  identity: WorkerIdentity;
  adapter: WorkerAdapter | undefined;
  child: ResultPromise | null;
  tails: { stdout: LogTail; stderr: LogTail };
  disk: DiskProgress;
  /** Descendants seen so far (pid → start time), so one that left the tree is still known. */
  known: Map<number, string>;
  mark: string;
  cpu: CpuWindow;
  failures: FailureWatch;
  startedAt: number;
  budgetMs: number | null;
  paused: boolean;
  /** Everything stopped by the last pause, resumed with the group. */
  pausedPids: Set<number>;
  pausedAt: number | null;
  pausedTotalMs: number;
  cores: number;
  coresBeforePause: number;
  quietMs: number;
  lastTick: number;
  rateLimitedUntil: number | null;
  resultAt: number | null;
  resultWasError: boolean;
  stalledReported: boolean;
  budgetReported: boolean;
  ending: StopReason | null;
  /** The leader is gone; what is left of the attempt is being given its grace, then swept. */
  settling: boolean;
  exited: boolean;
  exitWaiters: Array<() => void>;
}

export interface TrackInput {
  identity: WorkerIdentity;
  adapter: WorkerAdapter | undefined;
  child: ResultPromise | null;
  logs: { stdout: string; stderr: string };
  offsets: { stdout: number; stderr: number };
  workdir: string;
  mark: string;
  startedAt: number;
  budgetMs: number | null;
  cpuKeepMs: number;
  logCapBytes: number | null;
  /** Its work tree's scan, primed before the worker started (so nothing it writes at once is taken as already there). */
  disk?: DiskProgress;
}

/** A work tree's disk progress, ignoring the worker's own logs (and the files rotation keeps beside them), primed now. */
export function primedDiskProgress(workdir: string, logs: { stdout: string; stderr: string }): DiskProgress {
  const logFiles = [logs.stdout, logs.stderr];
  const disk = new DiskProgress(workdir, (p) => logFiles.some((f) => p === f || p.startsWith(`${f}.`)));
  disk.scan();
  return disk;
}

export function createTracked(input: TrackInput, now: number): Tracked {
  return {
    identity: input.identity,
    adapter: input.adapter,
    child: input.child,
    tails: { stdout: new LogTail(input.logs.stdout, input.offsets.stdout, { capBytes: input.logCapBytes }), stderr: new LogTail(input.logs.stderr, input.offsets.stderr, { capBytes: input.logCapBytes }) },
    disk: input.disk ?? primedDiskProgress(input.workdir, input.logs),
    known: new Map(),
    mark: input.mark,
    cpu: new CpuWindow(input.cpuKeepMs),
    failures: new FailureWatch(),
    startedAt: input.startedAt,
    budgetMs: input.budgetMs,
    paused: false,
    pausedPids: new Set(),
    pausedAt: null,
    pausedTotalMs: 0,
    cores: 0,
    coresBeforePause: 0,
    quietMs: 0,
    lastTick: now,
    rateLimitedUntil: null,
    resultAt: null,
    resultWasError: false,
    stalledReported: false,
    budgetReported: false,
    ending: null,
    settling: false,
    exited: false,
    exitWaiters: [],
  };
}

import type { WorkerEnvPolicy, WorkerIdentity, WorkerSpec } from '@godmode/protocol';
import type { MachineLoad } from './proc/machine-load.js';
import type { ProcessTable } from './proc/process-table.js';

export interface SupervisorOptions {
  samplePeriodMs: number;
  /** Share of all cores (0..1) the governor keeps the machine under. */
  cpuCeiling: number;
  /** No output, no disk progress and CPU under the floor for this long: stalled. */
  stallWindowMs: number;
  /** CPU alone keeps a quiet worker alive only this long (default 2× the stall window). */
  spinWindowMs: number;
  reapGraceMs: number;
  /** A worker still alive this long after its final result is stopped gracefully. */
  resultGraceMs: number;
  /**
   * After a leader exits by itself, what is left of its attempt (background children, setsid'd or
   * double-forked descendants) gets this long of quiet — no output, no disk writes, CPU under the floor —
   * before it is swept. Any activity restarts the grace, up to `exitLingerMs`.
   */
  exitGraceMs: number;
  /** The longest an exited leader's descendants may keep its attempt open before they are swept anyway. */
  exitLingerMs: number;
  cores: number;
  /** CPU below this many cores, averaged over the stall window, is not progress (default 0.02: 2% of a core). */
  idleCores: number;
  /** Checked before any signal is sent: a conductor that lost its lease must not act. */
  mayAct: () => boolean;
  /**
   * Share of RAM (0..1, available / total) that must be free to admit another worker. Pausing frees
   * no memory, so memory pressure only stops admission; it never pauses or kills.
   */
  memoryFloor: number;
  /** Each output log is kept under this size: past it, the head and the tail are kept and the middle dropped. null: no cap. */
  logCapBytes: number | null;
  /** Where processes are read from; default `/proc` where it exists, else `ps` (`GODMODE_PROCESS_TABLE` forces one). */
  processTable: ProcessTable;
  machineLoad: MachineLoad;
}

export interface SpawnRequest {
  stream: string;
  attempt: number;
  spec: WorkerSpec;
  workdir: string;
  attemptDir: string;
  env?: Record<string, string>;
  budgetMs?: number;
  /** What the worker inherits of this process's environment (the plan's `env`); godmode's credentials never. */
  envPolicy?: WorkerEnvPolicy;
  /** Continue an earlier session of the same worker (Claude Code: `--resume <id>`, taken from the `init` activity's `sessionId`). */
  resumeSessionId?: string;
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

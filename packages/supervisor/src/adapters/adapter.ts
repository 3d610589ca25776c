import type { WorkerSpec } from '@godmode/protocol';
import type { z } from 'zod';

/** What an adapter reports from one line of its worker's output; the supervisor adds identity and time. */
export type AdapterEvent =
  | { type: 'activity'; kind: string; detail: Record<string, unknown> }
  | { type: 'rate-limited'; resetsAt: string | null }
  | { type: 'result'; isError: boolean; subtype: string; sessionId: string | null; numTurns: number | null; costUsd: number | null; usage: Record<string, unknown> | null; text: string | null }
  | { type: 'error'; code: string; message: string; retryable?: boolean; resetAt?: string };

export interface LaunchContext {
  workdir: string;
  env: Record<string, string>;
  /** Continue this earlier session instead of starting afresh (adapters that have sessions, e.g. `claude --resume`). */
  resumeSessionId?: string;
}

export interface Launch {
  file: string;
  args: string[];
  env: Record<string, string | undefined>;
}

/** Turns a worker spec into a command line, and its output lines into events. Plugins register their own. */
export interface WorkerAdapter {
  name: string;
  optionsSchema?: z.ZodType;
  launch(spec: WorkerSpec, context: LaunchContext): Launch;
  /** Shown when the worker's binary is not found, e.g. how to install it. */
  installHint?: string;
  /** Called per complete output line; return nothing for lines it does not understand. */
  parseLine?(line: string, stream: 'stdout' | 'stderr'): AdapterEvent[];
}

// One registry per process, whichever copy of @godmode/supervisor registers or looks up: a plugin's own copy and
// the CLI's must see the same adapters.
const REGISTRY = Symbol.for('godmode.supervisor.adapters');
const holder = globalThis as typeof globalThis & { [REGISTRY]?: Map<string, WorkerAdapter> };
const registry: Map<string, WorkerAdapter> = (holder[REGISTRY] ??= new Map<string, WorkerAdapter>());

export function registerAdapter(adapter: WorkerAdapter): void {
  registry.set(adapter.name, adapter);
}

export function getAdapter(name: string): WorkerAdapter | undefined {
  return registry.get(name);
}

/** Adapter names with their option schemas, in the shape `parsePlan` takes to accept plugin adapters. */
export function adapterOptionSchemas(): Record<string, z.ZodType | undefined> {
  return Object.fromEntries([...registry.values()].map((a) => [a.name, a.optionsSchema]));
}

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerIdentity } from '@godmode/protocol';
import { Supervisor, type SupervisorEvent, type SupervisorOptions } from '../../src/index.js';

export const worker = fileURLToPath(new URL('../fixtures/worker.mjs', import.meta.url));
export const owner = `GODMODE_TEST_OWNER=${process.pid}`;

/** Pids of live processes started by this test file (they carry GODMODE_TEST_OWNER with our pid). Read through /proc or ps, whichever exists. */
export function ours(): number[] {
  const found: number[] = [];
  let names: string[] = [];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (env.includes(`${owner}\0`) || env.endsWith(owner)) found.push(Number(name));
    } catch {
      // gone
    }
  }
  return found;
}

/** Pids and states of live processes whose environment holds NAME=value. */
export function withEnv(entry: string): Array<{ pid: number; state: string }> {
  const found: Array<{ pid: number; state: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (!env.split('\0').includes(entry)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z') found.push({ pid: Number(name), state });
    } catch {
      // gone
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'latin1').includes(') Z');
  } catch {
    return false;
  }
}

export function dir(): string {
  return mkdtempSync(join(tmpdir(), 'godmode-supervisor-'));
}

export class Harness {
  readonly supervisors: Supervisor[] = [];

  make(options: Partial<SupervisorOptions> = {}): Supervisor {
    const s = new Supervisor({ samplePeriodMs: 200, stallWindowMs: 1_500, reapGraceMs: 1_000, resultGraceMs: 800, ...options });
    this.supervisors.push(s);
    return s;
  }

  /** Reaps what is left, closes every supervisor, and returns (after killing them) the processes that survived. */
  async cleanup(): Promise<number[]> {
    for (const s of this.supervisors) for (const w of s.live()) await s.reap(w, { graceMs: 200 });
    for (const s of this.supervisors) await s.close();
    const left = ours();
    for (const pid of left) process.kill(pid, 'SIGKILL');
    return left;
  }
}

export class Recorder {
  readonly events: SupervisorEvent[] = [];
  private waiters: Array<{ test: (e: SupervisorEvent) => boolean; resolve: (e: SupervisorEvent) => void }> = [];
  constructor(supervisor: Supervisor) {
    void (async () => {
      for await (const e of supervisor.events()) {
        this.events.push(e);
        this.waiters = this.waiters.filter((w) => (w.test(e) ? (w.resolve(e), false) : true));
      }
    })();
  }
  of<T extends SupervisorEvent['type']>(identity: WorkerIdentity, type?: T): Array<Extract<SupervisorEvent, { type: T }>> {
    return this.events.filter((e) => e.worker.pid === identity.pid && e.worker.startTime === identity.startTime && (!type || e.type === type)) as Array<Extract<SupervisorEvent, { type: T }>>;
  }
  wait<T extends SupervisorEvent['type']>(identity: WorkerIdentity, type: T, timeoutMs = 30_000): Promise<Extract<SupervisorEvent, { type: T }>> {
    const found = this.of(identity, type)[0];
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event for ${identity.stream} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test: (e) => e.worker.pid === identity.pid && e.worker.startTime === identity.startTime && e.type === type,
        resolve: (e) => (clearTimeout(timer), resolve(e as Extract<SupervisorEvent, { type: T }>)),
      });
    });
  }
}

export async function start(s: Supervisor, command: string | string[], stream: string, env: Record<string, string> = {}) {
  const d = dir();
  const identity = await s.spawn({
    stream,
    attempt: 1,
    spec: { adapter: 'command', options: { command: typeof command === 'string' ? command : [process.execPath, worker, ...command] } },
    workdir: join(d, 'work'),
    attemptDir: join(d, 'attempt'),
    env: { GODMODE_TEST_OWNER: String(process.pid), GODMODE_WORKDIR: join(d, 'work'), ...env },
  });
  return { identity, work: join(d, 'work'), dir: d };
}

// A run of N command streams whose journal the bench writes itself, in the conductor's shapes.
import { createRun, type RunStore } from '../../packages/run-store/src/index.js';
import type { PlanInput } from '../../packages/protocol/src/index.js';
import { planSchema } from '../../packages/protocol/src/index.js';

export async function syntheticRun(root: string, streams: number): Promise<RunStore> {
  const input: PlanInput = {
    name: 'bench-dashboard',
    settings: { samplePeriodMs: 500, canaries: 0 },
    phases: [{ id: 'builders', parallelism: streams, streams: Array.from({ length: streams }, (_, i) => ({ id: `s${i}`, worker: { adapter: 'command', options: { command: 'true' } }, deliverables: [`src/s${i}.ts`] })) }],
  };
  return createRun({ root, plan: planSchema.parse(input), planDir: root });
}

const identity = (i: number) => ({ stream: `s${i}`, attempt: 1, pid: 10_000 + i, startTime: String(1000 + i), cmdline: 'true', pgid: 10_000 + i });

/** Entry `k` of a busy stream `i` (samples, outputs, file writes, now and then a pause and a resume). */
export function workerEntry(i: number, k: number): { kind: string; payload: unknown } {
  const worker = identity(i);
  const base = { worker, t: k, at: new Date().toISOString() };
  const r = k % 8;
  if (r === 0 || r === 4) return { kind: 'worker.sample', payload: { ...base, type: 'sample', state: 'running', cpuSeconds: k / 10, cpuShare: 0.2 + (k % 5) / 10, processes: 1, quietMs: 0 } };
  if (r === 7) return { kind: 'worker.progress', payload: { ...base, type: 'progress', created: 1, changed: 0, paths: [`src/f${k}.ts`] } };
  if (k % 400 === 1) return { kind: 'worker.paused', payload: { ...base, type: 'paused', reason: 'machine CPU 93% over the 80% ceiling' } };
  if (k % 400 === 41) return { kind: 'worker.resumed', payload: { ...base, type: 'resumed', reason: 'machine CPU 60% leaves room under 80%' } };
  return { kind: 'worker.output', payload: { ...base, type: 'output', stream: 'stdout', bytes: 64, line: `wrote src/f${k}.ts` } };
}

export async function startEntries(store: RunStore, streams: number): Promise<void> {
  await store.journal.append('run.started', { runId: store.id, plan: 'bench-dashboard', streams, holder: 'bench', pid: process.pid });
  await store.journal.append('phase.started', { phase: 'builders', streams: Array.from({ length: streams }, (_, i) => `s${i}`) });
  await Promise.all(Array.from({ length: streams }, (_, i) => store.journal.append('stream.spawned', { stream: `s${i}`, attempt: 1, identity: identity(i), logs: { stdout: '/dev/null', stderr: '/dev/null' } })));
}

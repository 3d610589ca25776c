import { join } from 'node:path';
import { journalKinds, planStreams, type WorkerEvent, type WorkerIdentity } from '@godmode/protocol';
import type { RunState } from '@godmode/run-store';
import { isSameProcess } from '@godmode/supervisor';
import { findRunWorkers } from '@godmode/supervisor';
import type { RunContext } from './run-context.js';
import { workerKey } from './worker-events.js';

/** Takeover: a worker still alive (same pid, start time and command line) is adopted, not restarted. */
export async function adoptSurvivors(ctx: RunContext, state: RunState): Promise<void> {
  for (const { stream } of planStreams(ctx.plan)) {
    const s = state.streams[stream.id];
    const progress = ctx.progress(stream.id);
    if (!s || progress.verdict?.status === 'shipped') continue;
    const last = s.attempts.at(-1);
    if (!last?.identity || last.exit || !last.logs) continue;
    if (!isSameProcess(last.identity)) continue;
    const offsets = ctx.events.outputBytes.get(workerKey(last.identity)) ?? (await loggedOffsets(ctx, last.identity));
    const adopted = await ctx.supervisor.adopt({
      identity: last.identity,
      spec: stream.worker,
      workdir: ctx.store.layout.workDir(stream.id),
      logs: last.logs,
      offsets,
      budgetMs: stream.budgetMs ?? ctx.plan.settings.budgetMs,
      ...(last.startedAt ? { startedAtMs: Date.parse(last.startedAt) } : {}),
    });
    if (adopted) progress.adopted = { identity: last.identity, attempt: last.n };
  }
  await adoptUnrecorded(ctx);
}

/** Workers alive on this machine for this run that the journal never recorded (the conductor died in between). */
async function adoptUnrecorded(ctx: RunContext): Promise<void> {
  const known = new Set(ctx.supervisor.live().map((w) => `${w.pid}:${w.startTime}`));
  for (const found of findRunWorkers(ctx.store.dir)) {
    if (known.has(`${found.identity.pid}:${found.identity.startTime}`)) continue;
    const entry = planStreams(ctx.plan).find((e) => e.stream.id === found.stream);
    if (!entry) continue;
    const progress = ctx.progress(found.stream);
    const attemptDir = ctx.store.layout.attemptDir(found.stream, found.attempt);
    const logs = { stdout: join(attemptDir, 'stdout.log'), stderr: join(attemptDir, 'stderr.log') };
    const adopted = await ctx.supervisor.adopt({
      identity: found.identity,
      spec: entry.stream.worker,
      workdir: ctx.store.layout.workDir(found.stream),
      logs,
      offsets: { stdout: 0, stderr: 0 },
      budgetMs: entry.stream.budgetMs ?? ctx.plan.settings.budgetMs,
    });
    if (!adopted) continue;
    if (progress.verdict?.status === 'shipped' || progress.adopted) {
      // Its stream is already settled (or another attempt is adopted): this one is surplus, stop it gracefully —
      // journaled as what it is, never as a new spawn: a shipped stream does not start again, in the journal either.
      await ctx.journal('stream.leftover-stopped', { stream: found.stream, attempt: found.attempt, identity: found.identity });
      await ctx.supervisor.stopGracefully(found.identity).catch(() => {});
      continue;
    }
    await ctx.journal(journalKinds.streamSpawned, { stream: found.stream, attempt: found.attempt, identity: found.identity, logs, recovered: true });
    progress.attempts = Math.max(progress.attempts, found.attempt);
    progress.adopted = { identity: found.identity, attempt: found.attempt };
  }
}

/** Output bytes already journaled for a worker: where an adopter resumes reading its logs. */
async function loggedOffsets(ctx: RunContext, identity: WorkerIdentity): Promise<{ stdout: number; stderr: number }> {
  const offsets = { stdout: 0, stderr: 0 };
  for (const e of await ctx.entries()) {
    if (e.kind !== 'worker.output') continue;
    const p = e.payload as Extract<WorkerEvent, { type: 'output' }>;
    if (p.worker.pid === identity.pid && p.worker.startTime === identity.startTime) offsets[p.stream] += p.bytes;
  }
  return offsets;
}

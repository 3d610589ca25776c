import { mkdir } from 'node:fs/promises';
import { GodmodeError, journalKinds, type CheckEvidence, type JournalEntry, type Stream } from '@godmode/protocol';
import { runCheck } from '@godmode/reconciler';
import { addWorktree, resetWorktree, runNames } from '@godmode/worktrees';
import { checkEnv } from './check-processes.js';
import type { RunContext } from './run-context.js';

export type Workspace = { ok: true; workdir: string; base: string | null } | { ok: false; workdir: string; setup: CheckEvidence };

/**
 * Where a stream attempt works. On a repository: its worktree on `godmode/<run-id>/streams/<stream>`, cut
 * from `base` the first time (the entry naming it is journaled before the worktree is made, so no worktree
 * exists that the journal does not name), kept as it is for later attempts, with the plan's `setup` run once
 * in it. In plain folders: the stream's folder under the run.
 */
export async function prepareWorkspace(ctx: RunContext, stream: Stream, attempt: number, base: string | null): Promise<Workspace> {
  const workdir = ctx.store.layout.workDir(stream.id);
  const repo = ctx.repository;
  if (!repo || base === null) {
    await mkdir(workdir, { recursive: true });
    return { ok: true, workdir, base: null };
  }
  const branch = runNames(ctx.store.id).stream(stream.id);
  const entries = await ctx.entries();
  const named = entries.some((e) => e.kind === journalKinds.streamWorktree && (e.payload as { stream?: string }).stream === stream.id);
  if (!named) await ctx.journal(journalKinds.streamWorktree, { stream: stream.id, attempt, path: workdir, branch, base });
  if (!ctx.acting) return { ok: true, workdir, base };
  await addWorktree({ repo: { top: repo.repo }, path: workdir, branch, start: base });
  if (!ctx.plan.setup || setupDone(entries, stream.id)) return { ok: true, workdir, base };
  const setup = await runCheck({ command: ctx.plan.setup, cwd: workdir, timeoutMs: ctx.plan.setupTimeoutMs, env: { GODMODE_WORKDIR: workdir, GODMODE_BASE: base, ...checkEnv(ctx.store.dir, 'setup', stream.id) } });
  await ctx.journal(journalKinds.streamSetup, { stream: stream.id, attempt, command: setup.command, exitCode: setup.exitCode, timedOut: setup.timedOut, durationMs: setup.durationMs, outputTail: setup.outputTail.slice(-2_000) });
  if (setup.timedOut) {
    ctx.fail(
      new GodmodeError({
        code: 'SETUP_TIMEOUT',
        audience: 'user',
        message: `The plan's setup \`${setup.command}\` did not finish within ${ctx.plan.setupTimeoutMs} ms in ${workdir} (stream ${stream.id}); the run stopped. Your repository was not changed.`,
        hint: 'Make the setup finish on its own (no prompt, no network wait: e.g. `pnpm install --frozen-lockfile --offline`), or raise setupTimeoutMs in the plan.',
      }),
    );
  }
  if (setup.exitCode !== 0 || setup.timedOut) return { ok: false, workdir, setup };
  return { ok: true, workdir, base };
}

function setupDone(entries: JournalEntry[], stream: string): boolean {
  return entries.some((e) => e.kind === journalKinds.streamSetup && (e.payload as { stream?: string; exitCode?: unknown }).stream === stream && (e.payload as { exitCode?: unknown }).exitCode === 0);
}

/**
 * A held stream gets a second chance on the new integration head: its worktree (godmode's own; no worker
 * runs there now) is put back at `head`, journaled first. Its earlier work stays in its snapshot refs.
 */
export async function rebaseWorkspace(ctx: RunContext, stream: Stream, head: string): Promise<void> {
  const workdir = ctx.store.layout.workDir(stream.id);
  await ctx.journal(journalKinds.streamWorktree, { stream: stream.id, path: workdir, branch: runNames(ctx.store.id).stream(stream.id), base: head, reset: true });
  if (!ctx.acting) return;
  await resetWorktree(workdir, head);
}

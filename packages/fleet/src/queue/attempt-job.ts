import { streamSchema, verdictSchema } from '@godmode/protocol';
import { z } from 'zod';

/** The pg-boss queue every stream attempt of every run goes through. */
export const attemptQueue = 'godmode-attempts';

/** What the conductor enqueues for one stream attempt. */
export const attemptJobSchema = z.object({
  runId: z.string().min(1),
  stream: streamSchema,
  attempt: z.number().int().positive(),
  /** The commit the stream starts from; the remote has it (the conductor pushed it under refs/godmode/<run>/bases/). */
  base: z.string().regex(/^[0-9a-f]{40,64}$/),
  /** The shared remote: a path or URL every agent can fetch from and push to. */
  remote: z.string().min(1),
  settings: z.object({
    snapshotEveryMs: z.number().int().positive(),
    budgetMs: z.number().int().positive().nullable(),
    stallWindowMs: z.number().int().positive().optional(),
  }),
  /** What earlier attempts left (GODMODE_ON_DISK), as the conductor knows it. */
  onDisk: z.string().default(''),
  /** The plan's `setup` (e.g. installing dependencies), run by the agent in each fresh worktree before the worker. */
  setup: z.object({ command: z.string().min(1), timeoutMs: z.number().int().positive() }).nullable().default(null),
});
export type AttemptJob = z.infer<typeof attemptJobSchema>;

/** How an attempt ended on the agent. Only `finished` has a pushed commit to judge. */
export const attemptOutcomes = ['finished', 'base-missing', 'setup-failed', 'push-failed', 'spawn-failed', 'bad-job'] as const;

/** What an agent completes the job with: testimony. The conductor re-judges `commit` itself. */
export const attemptResultSchema = z.object({
  /** `<job id>:<retry count>`: which try of the job this is; a completion of any other try is refused by pg-boss. */
  attemptId: z.string(),
  agent: z.string(),
  host: z.string(),
  outcome: z.enum(attemptOutcomes),
  reason: z.string().nullable(),
  /** The final snapshot commit pushed to the remote (null when none was). */
  commit: z.string().nullable(),
  ref: z.string().nullable(),
  /** The commit this try started from: the base, or the last snapshot an earlier try pushed. */
  startedFrom: z.string().nullable(),
  resumed: z.boolean(),
  exit: z.object({ code: z.number().nullable(), signal: z.string().nullable() }).nullable(),
  /** The agent's own verdict: testimony, like a claim. */
  verdict: verdictSchema.nullable(),
  /** The worker's result.json as written (bounded), so the conductor can weigh the claim. */
  claimText: z.string().nullable(),
  snapshots: z.number().int().nonnegative(),
});
export type AttemptResult = z.infer<typeof attemptResultSchema>;

export function attemptIdOf(job: { id: string; retryCount: number }): string {
  return `${job.id}:${job.retryCount}`;
}

/** The moving ref on the remote that holds the latest snapshot of one stream attempt. */
export function remoteSnapshotRef(runId: string, stream: string, attempt: number): string {
  return `refs/godmode/${runId}/snapshots/${stream}/${attempt}`;
}

export function remoteBaseRef(runId: string, base: string): string {
  return `refs/godmode/${runId}/bases/${base}`;
}

/**
 * The run's integration head on the remote: the conductor pushes each kept merge here before it journals it, so
 * a conductor on another machine that takes the run over starts from the same commits.
 */
export function remoteIntegrationRef(runId: string): string {
  return `refs/godmode/${runId}/integration`;
}

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stream, Verdict } from '@godmode/protocol';
import { reconcile } from '@godmode/reconciler';
import { addWorktree, resetWorktree } from '@godmode/worktrees';

export interface RejudgeInput {
  /** The conductor's repository (the commit was fetched into it). */
  repo: string;
  /** Where the stream's local worktree is (created on `branch` at `base` when missing). */
  worktree: string;
  branch: string;
  stream: Stream;
  attempt: number;
  base: string;
  /** The pushed commit; null when the agent pushed nothing (the tree is then the base: nothing was done). */
  commit: string | null;
  /** The worker's result.json as the agent reported it (testimony), written beside the worktree. */
  claimText: string | null;
  claimFile: string;
}

/**
 * The conductor's own judgement of a fleet attempt: the pushed commit checked out into a local worktree and
 * reconciled against the base, exactly as a local attempt's tree is. The agent's verdict plays no part.
 */
export async function rejudgeAttempt(input: RejudgeInput): Promise<Verdict & { commit: string }> {
  await addWorktree({ repo: { top: input.repo } as never, path: input.worktree, branch: input.branch, start: input.base });
  const commit = input.commit ?? input.base;
  await resetWorktree(input.worktree, commit);
  await mkdir(path.dirname(input.claimFile), { recursive: true });
  if (input.claimText === null) await rm(input.claimFile, { force: true });
  else await writeFile(input.claimFile, input.claimText);
  const verdict = await reconcile({ stream: input.stream, workTree: input.worktree, claim: { path: input.claimFile }, attempt: input.attempt, gitBase: input.base });
  return { ...verdict, commit };
}

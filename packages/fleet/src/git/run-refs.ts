import { git } from '@godmode/worktrees';
import { FleetGitError } from '../errors/fleet-git-error.js';
import { remoteIntegrationRef } from '../queue/attempt-job.js';
import { pushProblem } from './remote.js';

/** Where a repository keeps its copy of a remote's `refs/godmode/<run>/…`: godmode's own refs, never the user's. */
export function localRunRef(remoteRef: string): string {
  return `refs/godmode-fleet/${remoteRef.slice('refs/'.length)}`;
}

/**
 * Fetches everything the remote holds of one run (`refs/godmode/<run>/…`: bases, snapshots, the integration
 * head) into `repo` under `refs/godmode-fleet/…`. Returns the remote's integration head, or null when no merge
 * was pushed yet.
 */
export async function fetchRunRefs(repo: string, remote: string, runId: string): Promise<{ integration: string | null; refs: number }> {
  const prefix = `refs/godmode/${runId}/`;
  const fetched = await git(repo, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-auto-maintenance', remote, `+${prefix}*:${localRunRef(prefix)}*`]);
  if (fetched.code !== 0) {
    throw new FleetGitError({
      problem: 'remote-unreachable',
      message: `git fetch ${remote} ${prefix}* failed in ${repo}: ${fetched.stderr.trim().split('\n').slice(-3).join(' / ') || `exit ${fetched.code}`}`,
      hint: 'The run\'s commits are on the shared remote: check that this machine can fetch from it.',
    });
  }
  const listed = await git(repo, ['for-each-ref', '--format=%(refname) %(objectname)', localRunRef(prefix)]);
  const refs = listed.stdout.split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]);
  const integration = refs.find(([ref]) => ref === localRunRef(remoteIntegrationRef(runId)))?.[1] ?? null;
  return { integration, refs: refs.length };
}

/** The run's integration head on the remote now (null: none pushed yet). */
export async function remoteIntegrationHead(repo: string, remote: string, runId: string): Promise<string | null> {
  const ref = remoteIntegrationRef(runId);
  const listed = await git(repo, ['ls-remote', remote, ref]);
  if (listed.code !== 0) {
    throw new FleetGitError({ problem: 'remote-unreachable', message: `git ls-remote ${remote} ${ref} failed in ${repo}: ${listed.stderr.trim().split('\n').slice(-3).join(' / ') || `exit ${listed.code}`}` });
  }
  return listed.stdout.split('\t')[0]?.trim() || null;
}

/**
 * Pushes a kept merge to the run's integration ref on the remote, as a compare-and-swap: the push is refused
 * unless the remote still holds `expected` (null: no integration ref yet), so two conductors of one run can never
 * both move it — the second sees `integration-moved`. Done before the merge is journaled: every head the journal
 * vouches for is on the remote.
 */
export async function pushIntegration(repo: string, remote: string, runId: string, head: string, expected: string | null): Promise<void> {
  const ref = remoteIntegrationRef(runId);
  const r = await git(repo, ['push', '--quiet', '--no-verify', `--force-with-lease=${ref}:${expected ?? ''}`, remote, `${head}:${ref}`]);
  if (r.code === 0) return;
  const listed = await git(repo, ['ls-remote', remote, ref]);
  const now = listed.code === 0 ? (listed.stdout.split('\t')[0]?.trim() || null) : undefined;
  if (now === head) return;
  if (listed.code === 0 && now !== expected) {
    throw new FleetGitError({
      problem: 'integration-moved',
      message: `the integration head of run ${runId} on ${remote} is ${now ?? 'gone'}, not ${expected ?? 'absent'} as this conductor last saw it: another conductor moved it.`,
      hint: 'Only the conductor holding the run\'s lease in the fleet database merges; this one stops.',
    });
  }
  const problem = pushProblem(r.stderr);
  throw new FleetGitError({ problem, message: `git push ${remote} ${head.slice(0, 12)}:${ref} failed in ${repo}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` });
}

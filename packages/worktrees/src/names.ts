/**
 * Every name godmode gives in a user's repository for one run. All of them sit under `godmode/<run-id>/`
 * (branches) or `refs/godmode/<run-id>/` (snapshot refs), so a run never touches a name it did not make.
 */
export interface RunNames {
  /** `godmode/<run-id>/integration`: where the merge queue lands shipped streams. */
  integration: string;
  /** `godmode/<run-id>/streams/<stream>`: the branch of a stream's worktree. */
  stream(streamId: string): string;
  /** `refs/godmode/<run-id>/snapshots/<stream>/<n>`: the n-th snapshot commit of a stream. */
  snapshot(streamId: string, n: number): string;
  /** Prefix of every branch of the run (`refs/heads/godmode/<run-id>/`). */
  branchPrefix: string;
  /** Prefix of every snapshot ref of the run. */
  snapshotPrefix: string;
}

export function runNames(runId: string): RunNames {
  return {
    integration: `godmode/${runId}/integration`,
    stream: (s) => `godmode/${runId}/streams/${s}`,
    snapshot: (s, n) => `refs/godmode/${runId}/snapshots/${s}/${n}`,
    branchPrefix: `refs/heads/godmode/${runId}/`,
    snapshotPrefix: `refs/godmode/${runId}/snapshots/`,
  };
}

/** Who godmode's own commits (snapshots, merges on the integration branch) are by. */
export const godmodeIdentity = {
  GIT_AUTHOR_NAME: 'godmode',
  GIT_AUTHOR_EMAIL: 'godmode@localhost',
  GIT_COMMITTER_NAME: 'godmode',
  GIT_COMMITTER_EMAIL: 'godmode@localhost',
} as const;

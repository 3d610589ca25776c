/** Environment variables through which a worker learns where things are. */
export const workerEnv = {
  runDir: 'GODMODE_RUN_DIR',
  stream: 'GODMODE_STREAM',
  workdir: 'GODMODE_WORKDIR',
  result: 'GODMODE_RESULT',
  attempt: 'GODMODE_ATTEMPT',
  /** Plain-text summary of what an earlier attempt already left on disk. */
  onDisk: 'GODMODE_ON_DISK',
  planDir: 'GODMODE_PLAN_DIR',
  /** A config file of (fake, planted) secrets, as a worker's tools would find credentials; see the scorer's canaries. */
  secretsFile: 'GODMODE_SECRETS_FILE',
  /** On a repository: the commit the stream started from (its phase base, or the head a held stream is retried on). */
  base: 'GODMODE_BASE',
} as const;

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
} as const;

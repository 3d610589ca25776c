/**
 * The environment mark every worker and all its descendants inherit: `<stream>:<attempt>:<supervisor pid>:<ms>`.
 * It survives setsid, double forks and a process renaming itself, so it is part of a worker's identity and
 * how everything of an attempt is found to pause, resume or sweep it.
 */
export const markVar = 'GODMODE_WORKER_MARK';

export function makeMark(stream: string, attempt: number): string {
  return `${stream}:${attempt}:${process.pid}:${Date.now()}`;
}

/** The stream and attempt a mark names (stream ids hold no `:`), or null for something else. */
export function parseMark(mark: string): { stream: string; attempt: number } | null {
  const m = /^([^:]+):(\d+):\d+:\d+$/.exec(mark);
  return m ? { stream: m[1] as string, attempt: Number(m[2]) } : null;
}

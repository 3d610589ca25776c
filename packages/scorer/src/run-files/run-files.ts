import { openRun, type RunStore } from '@godmode/run-store';

/**
 * The scorer's only way of writing into a run directory: through the run store, which writes every
 * file atomically and refuses paths that leave the run.
 */
export async function writeRunJson(runDir: string, relPath: string, value: unknown): Promise<string> {
  const store = await openRun(runDir);
  await store.writeJson(relPath, value);
  return `${store.dir}/${relPath}`;
}

export async function writeRunText(runDir: string, relPath: string, text: string): Promise<string> {
  const store = await openRun(runDir);
  await store.writeText(relPath, text);
  return `${store.dir}/${relPath}`;
}

export type { RunStore };

import { rmSync } from 'node:fs';

/**
 * Things that must not outlive the command (a temporary MCP config holding the user's token, a
 * Claude Code process group), undone on normal exit and on SIGTERM/SIGHUP. SIGINT is the
 * commands' to handle (it interrupts a turn first), and they run `runCleanups()` when they leave.
 */
const tasks = new Set<() => void>();
let installed = false;

export function onCleanup(task: () => void): () => void {
  install();
  tasks.add(task);
  return () => void tasks.delete(task);
}

export function runCleanups(): void {
  for (const task of [...tasks]) {
    tasks.delete(task);
    try {
      task();
    } catch {
      // Best effort: one failing cleanup must not stop the others.
    }
  }
}

/** A cleanup that removes a path. */
export function removeOnCleanup(path: string): () => void {
  return onCleanup(() => rmSync(path, { recursive: true, force: true }));
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runCleanups);
  for (const [signal, number] of [['SIGTERM', 15], ['SIGHUP', 1]] as const) {
    process.once(signal, () => {
      runCleanups();
      process.exit(128 + number);
    });
  }
}

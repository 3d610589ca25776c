import type { ProcessTable } from '../proc/process-table.js';
import type { Member } from './members.js';
import { safeKill, signalGroup } from './signals.js';
import type { Tracked } from './tracked.js';

/** SIGSTOP to the group and to everything carrying the attempt's mark (setsid'd descendants too). */
export function pauseWorker(table: ProcessTable, w: Tracked, members: Member[]): boolean {
  if (!signalGroup(table, w.identity, 'SIGSTOP')) return false;
  w.pausedPids = new Set();
  for (const p of members) if (safeKill(p.pid, 'SIGSTOP')) w.pausedPids.add(p.pid);
  return true;
}

/** SIGCONT to the group, to everything the pause stopped, and to whatever carries the mark now. */
export function resumeWorker(table: ProcessTable, w: Tracked, members: Member[]): void {
  signalGroup(table, w.identity, 'SIGCONT');
  for (const pid of w.pausedPids) safeKill(pid, 'SIGCONT');
  for (const p of members) safeKill(p.pid, 'SIGCONT');
  w.pausedPids.clear();
}

/** Stops everything of a worker for the instant of a log rotation (until every member reads as stopped, 200 ms at most); returns the resume. */
export function freezeWorker(table: ProcessTable, w: Tracked, members: Member[]): () => void {
  signalGroup(table, w.identity, 'SIGSTOP');
  for (const p of members) safeKill(p.pid, 'SIGSTOP');
  const deadline = Date.now() + 200;
  for (const p of members) {
    while (Date.now() < deadline) {
      const state = table.stat(p.pid)?.state;
      if (state === undefined || state === 'T' || state === 't' || state === 'Z') break;
    }
  }
  return () => {
    // A worker the governor paused meanwhile stays paused.
    if (w.paused) return;
    signalGroup(table, w.identity, 'SIGCONT');
    for (const p of members) safeKill(p.pid, 'SIGCONT');
  };
}

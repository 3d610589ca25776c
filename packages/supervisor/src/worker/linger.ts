import type { ProcStat } from '../proc/proc-stat.js';
import type { Member } from './members.js';
import { sleep } from './terminate.js';

export interface LingerContext {
  members(): Member[];
  readOutput(): boolean;
  readDisk(): boolean;
  /** True once someone else decided the attempt's end (a reap, a stop) or the supervisor closed. */
  done(): boolean;
  graceMs: number;
  lingerMs: number;
  periodMs: number;
  idleCores: number;
}

/**
 * After a leader exited by itself: waits while what it left behind is active — output, disk writes, or CPU over
 * the floor each restart a quiet grace of `graceMs` — up to `lingerMs` in all. Returns what is still alive
 * (to be swept) and how long it waited. Returns at once when nothing is left.
 */
export async function linger(ctx: LingerContext): Promise<{ members: Member[]; lingeredMs: number }> {
  const started = Date.now();
  let members = ctx.members();
  let lastActive = started;
  let ticks = cpuTicks(members);
  while (members.length > 0 && !ctx.done()) {
    const t = Date.now();
    if (t - lastActive >= ctx.graceMs || t - started >= ctx.lingerMs) break;
    await sleep(ctx.periodMs);
    const output = ctx.readOutput();
    const wrote = ctx.readDisk();
    members = ctx.members();
    const next = cpuTicks(members);
    let used = 0;
    for (const [pid, n] of next) used += Math.max(0, n - (ticks.get(pid) ?? n));
    ticks = next;
    if (output || wrote || used / 100 / (ctx.periodMs / 1000) >= ctx.idleCores) lastActive = Date.now();
  }
  return { members, lingeredMs: Date.now() - started };
}

function cpuTicks(members: ProcStat[]): Map<number, number> {
  return new Map(members.map((p) => [p.pid, p.utime + p.stime]));
}

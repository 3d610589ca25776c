import { journalKinds, workerEnv } from '@godmode/protocol';
import { checkMarkVar } from '@godmode/reconciler';
import { processTable, type ProcessTable } from '@godmode/supervisor';
import type { RunContext } from './run-context.js';

/** What a check process is for: a stream's check, the plan's setup, or one of the merge queue's checks. */
export type CheckKind = 'check' | 'setup' | 'test' | 'typecheck' | 'lint';

/** Journaled when a taker ends the checks a dead (or superseded) conductor left running. */
export const checkEndedKind = journalKinds.checkEndedByTakeover;

/**
 * The environment that marks a check process (and all it starts) as this run's and this conductor's: the run's
 * mark (`GODMODE_RUN_DIR`, which every sweep of the run looks for) and `GODMODE_CHECK_MARK`, saying it is a check.
 */
export function checkEnv(runDir: string, kind: CheckKind, label: string): Record<string, string> {
  return { [workerEnv.runDir]: runDir, [checkMarkVar]: `${kind}:${label.replaceAll(':', '_')}:${process.pid}:${Date.now()}` };
}

/** The kind, label and conductor pid a check mark names, or null for something else. */
export function parseCheckMark(mark: string): { kind: string; label: string; conductor: number } | null {
  const m = /^([a-z]+):(.*):(\d+):\d+$/.exec(mark);
  return m ? { kind: m[1] as string, label: m[2] as string, conductor: Number(m[3]) } : null;
}

export interface EndedCheck {
  pid: number;
  kind: string;
  label: string;
  conductor: number;
  command: string;
}

/**
 * Takeover: the checks another conductor of this run started (found by their marks: the run's directory and a
 * check mark naming a conductor other than this process) are not adopted — their result would have nobody to go
 * to — so they are ended, every process that carries the mark, journaled with what they were. Whatever they
 * were checking is checked again by this conductor (a stream with no verdict is judged, the merge queue resumes
 * from the head the journal vouches for, a setup not recorded as done runs again).
 */
export async function endOldChecks(ctx: RunContext, options: { graceMs?: number; table?: ProcessTable } = {}): Promise<EndedCheck[]> {
  const table = options.table ?? processTable();
  const find = (): EndedCheck[] => {
    const scan = table.scan();
    // Never this process or its ancestors, whatever their environment says.
    const spared = new Set<number>();
    for (let pid: number | undefined = process.pid; pid !== undefined && pid > 1 && !spared.has(pid); pid = scan.get(pid)?.ppid) spared.add(pid);
    const candidates = [...scan.values()].filter((p) => !spared.has(p.pid) && p.state !== 'Z' && p.state !== 'X').map((p) => p.pid);
    const inRun = [...table.envVar(workerEnv.runDir, candidates)].filter(([, dir]) => dir === ctx.store.dir).map(([pid]) => pid);
    const found: EndedCheck[] = [];
    for (const [pid, mark] of table.envVar(checkMarkVar, inRun)) {
      const named = parseCheckMark(mark);
      if (!named || named.conductor === process.pid) continue;
      found.push({ pid, ...named, command: (table.cmdline(pid) ?? '').slice(0, 300) });
    }
    return found;
  };
  const first = find();
  if (first.length === 0) return [];
  const signal = (list: EndedCheck[], sig: NodeJS.Signals) => {
    for (const p of list) {
      // A check leads its own process group: the group first, then the process itself (it may have left it).
      for (const target of [-p.pid, p.pid]) {
        try {
          process.kill(target, sig);
        } catch {
          // gone, or not a group
        }
      }
    }
  };
  signal(first, 'SIGTERM');
  const deadline = Date.now() + (options.graceMs ?? 1_000);
  let left = find();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = find();
  }
  for (let round = 0; left.length > 0 && round < 20; round++) {
    signal(left, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    left = find();
  }
  await ctx.journal(checkEndedKind, { processes: first, survivors: left.length });
  return first;
}

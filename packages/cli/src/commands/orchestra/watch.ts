import { Args, Flags } from '@oclif/core';
import { openRun, resolveRun, runsRoot, type RunStore } from '@godmode/run-store';
import { toJournalEvent, type JournalEntry } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { interruptOn } from '../../interrupt.js';
import { outcomeExitCode } from '../../outcome-exit-code.js';
import { renderRunEvent } from '../../render/run-event.js';
import { startTaskList, wantsTaskList } from '../../watch/task-list.js';

const endKinds = new Set(['run.finished', 'run.stopped']);

export class OrchestraWatch extends GodmodeCommand {
  static override summary = 'Watch a run live; close and reopen at will, the run never notices.';
  static override description = `Follows the run's journal (read-only). On a terminal: a task list per phase and stream with state, signals, pauses and verdicts. Piped or under CI: plain lines. With --json: the journal entries as NDJSON. Ends when the run ends — exit 0 when every stream shipped, 1 when one did not or the run was stopped — or on Ctrl-C, which stops only the view (exit 130).`;
  static override examples = [
    { description: 'The latest run', command: '<%= config.bin %> orchestra watch' },
    { description: 'A given run as NDJSON', command: '<%= config.bin %> orchestra watch 20261124-101500-demo-ab12 --json' },
  ];
  static override args = { run: Args.string({ description: 'Run id or directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    'poll-ms': Flags.integer({ description: 'How often to read the journal.', default: 250, min: 20 }),
    fleet: Flags.string({ description: 'Watch a fleet run from its database (no run folder needed): the URL given to `orchestra run --fleet`.', env: 'GODMODE_FLEET_DB', helpValue: '<db-url>' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraWatch);
    if (flags.fleet) return this.watchFleet(flags.fleet, args.run);
    const dir = await resolveRun(runsRoot(flags.cwd), args.run);
    const store = await openRun(dir);
    const interrupt = interruptOn();
    const controller = interrupt.controller;
    let end: JournalEntry | null;
    try {
      const { plan } = await store.readPlan();
      if (!wantsTaskList(this.jsonMode)) {
        end = await follow(store, controller.signal, flags['poll-ms'], (e) => {
          // The same `journal` events as `orchestra run --json` (the protocol's cli-event schema).
          if (this.jsonMode) this.emit(toJournalEvent(e) as Record<string, unknown>);
          else renderRunEvent({ kind: e.kind, payload: e.payload }, (line) => this.print(line));
        });
      } else {
        const list = startTaskList(plan.phases);
        end = await follow(store, controller.signal, flags['poll-ms'], (e) => list.apply(e));
        // The view closes without touching the run: unfinished tasks are left as they are.
        await list.close('view closed');
      }
    } finally {
      interrupt.dispose();
      await store.close();
    }
    this.finish(end, { runId: store.id, runDir: store.dir });
  }

  /** The same view of a fleet run, from the entries its conductor publishes to the database. */
  private async watchFleet(url: string, run: string | undefined): Promise<void> {
    const { followFleetRun } = await import('./fleet-db.js');
    const interrupt = interruptOn();
    let list: ReturnType<typeof startTaskList> | null = null;
    let followed: { runId: string; end: JournalEntry | null };
    try {
      followed = await followFleetRun(
        url,
        run,
        interrupt.controller.signal,
        (plan) => {
          if (wantsTaskList(this.jsonMode)) list = startTaskList(plan.phases);
        },
        (e) => {
          if (list) list.apply(e);
          else if (this.jsonMode) this.emit(toJournalEvent(e) as Record<string, unknown>);
          else renderRunEvent({ kind: e.kind, payload: e.payload }, (line) => this.print(line));
        },
      );
      if (list) await (list as ReturnType<typeof startTaskList>).close('view closed');
    } finally {
      interrupt.dispose();
    }
    this.finish(followed.end, { runId: followed.runId, runDir: null });
  }

  private finish(end: JournalEntry | null, where: { runId: string; runDir: string | null }): void {
    const p = (end?.payload ?? {}) as { shipped?: unknown; streams?: unknown; stopped?: unknown };
    const outcome = {
      interrupted: end === null,
      stopped: end?.kind === 'run.stopped' || p.stopped === true,
      shipped: Number(p.shipped ?? 0),
      streams: Number(p.streams ?? 0),
    };
    this.emit({ type: 'outcome', ...where, ...outcome });
    const code = outcomeExitCode(outcome);
    if (code !== 0) this.done(code);
  }
}

/** Follows the journal until the run ends (returns its last end entry) or the signal aborts (returns null). */
async function follow(store: RunStore, signal: AbortSignal, pollMs: number, onEntry: (e: JournalEntry) => void): Promise<JournalEntry | null> {
  let last = 0;
  while (!signal.aborted) {
    const { entries } = await store.journal.read();
    let ended: JournalEntry | null = null;
    for (const e of entries) {
      if (e.seq <= last) continue;
      last = e.seq;
      onEntry(e);
      if (endKinds.has(e.kind)) ended = e;
    }
    if (ended) return ended;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return null;
}

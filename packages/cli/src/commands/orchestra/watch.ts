import { Args, Flags } from '@oclif/core';
import { Listr, type ListrTaskWrapper } from 'listr2';
import { openRun, resolveRun, runsRoot, type RunStore } from '@godmode/run-store';
import { terminalText, toJournalEvent, type JournalEntry } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { interruptOn } from '../../interrupt.js';
import { colorEnabled } from '../../render/color.js';
import { outcomeExitCode } from '../../outcome-exit-code.js';
import { renderRunEvent } from '../../render/run-event.js';
import { applyEntry, describeView, initialViews, type StreamView } from '../../watch/stream-view.js';

const endKinds = new Set(['run.finished', 'run.stopped']);

export class OrchestraWatch extends GodmodeCommand {
  static override summary = 'Watch a run live; close and reopen at will, the run never notices.';
  static override description = `Follows the run's journal (read-only). On a terminal: a task list per phase and stream with state, signals, pauses and verdicts. Piped: plain lines. With --json: the journal entries as NDJSON. Ends when the run ends — exit 0 when every stream shipped, 1 when one did not or the run was stopped — or on Ctrl-C, which stops only the view (exit 130).`;
  static override examples = [
    { description: 'The latest run', command: '<%= config.bin %> orchestra watch' },
    { description: 'A given run as NDJSON', command: '<%= config.bin %> orchestra watch 20261124-101500-demo-ab12 --json' },
  ];
  static override args = { run: Args.string({ description: 'Run id or directory (default: the latest run).' }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    'poll-ms': Flags.integer({ description: 'How often to read the journal.', default: 250, min: 20 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraWatch);
    const dir = await resolveRun(runsRoot(flags.cwd), args.run);
    const store = await openRun(dir);
    const interrupt = interruptOn();
    const controller = interrupt.controller;
    let end: JournalEntry | null;
    try {
      const { plan } = await store.readPlan();
      const views = initialViews(plan.phases);
      const tty = !this.jsonMode && Boolean(process.stdout.isTTY);
      if (!tty) {
        end = await follow(store, controller.signal, flags['poll-ms'], (e) => {
          // The same `journal` events as `orchestra run --json` (the protocol's cli-event schema).
          if (this.jsonMode) this.emit(toJournalEvent(e) as Record<string, unknown>);
          else renderRunEvent({ kind: e.kind, payload: e.payload }, (line) => this.print(line));
        });
      } else {
        end = await this.taskList(store, plan.phases, views, controller, flags['poll-ms']);
      }
    } finally {
      interrupt.dispose();
      await store.close();
    }
    const p = (end?.payload ?? {}) as { shipped?: unknown; streams?: unknown; stopped?: unknown };
    const outcome = {
      interrupted: end === null,
      stopped: end?.kind === 'run.stopped' || p.stopped === true,
      shipped: Number(p.shipped ?? 0),
      streams: Number(p.streams ?? 0),
    };
    this.emit({ type: 'outcome', runId: store.id, runDir: store.dir, ...outcome });
    const code = outcomeExitCode(outcome);
    if (code !== 0) this.done(code);
  }

  private async taskList(store: RunStore, phases: Array<{ id: string; streams: Array<{ id: string }> }>, views: Map<string, StreamView>, controller: AbortController, pollMs: number): Promise<JournalEntry | null> {
    const handles = new Map<string, { task: ListrTaskWrapper<unknown, any, any>; resolve: () => void; reject: (e: Error) => void }>();
    const settle = (view: StreamView) => {
      const h = handles.get(view.id);
      if (!h) return;
      h.task.title = `${view.id}  ${describeView(view)}`;
      if (view.final) {
        handles.delete(view.id);
        if (view.state === 'shipped') h.resolve();
        else h.reject(new Error(`${view.id} ${view.state}${view.sentence ? ` — ${terminalText(view.sentence)}` : ''}${view.failure ? ` (failed: ${terminalText(view.failure)})` : ''}`));
      }
    };
    const list = new Listr(
      phases.map((phase) => ({
        title: `phase ${phase.id}`,
        task: (_: unknown, parent: ListrTaskWrapper<unknown, any, any>) =>
          parent.newListr(
            phase.streams.map((s) => ({
              title: s.id,
              task: (_ctx: unknown, task: ListrTaskWrapper<unknown, any, any>) =>
                new Promise<void>((resolve, reject) => {
                  handles.set(s.id, { task, resolve, reject });
                  const v = views.get(s.id);
                  if (v) settle(v);
                }),
            })),
            { concurrent: true, exitOnError: false },
          ),
      })),
      { concurrent: false, exitOnError: false, rendererOptions: { collapseSubtasks: false, color: colorEnabled() ? undefined : {} } as any },
    );
    const done = list.run().catch(() => {});
    const end = await follow(store, controller.signal, pollMs, (e) => {
      const v = applyEntry(views, e);
      if (v) settle(v);
    });
    // The view closes without touching the run: unfinished tasks are left as they are.
    for (const [, h] of handles) h.reject(new Error('view closed'));
    await done;
    return end;
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

import { Listr, type ListrTaskWrapper } from 'listr2';
import { terminalText, type JournalEntry } from '@godmode/protocol';
import { colorEnabled } from '../render/color.js';
import { applyEntry, describeView, initialViews, type StreamView } from './stream-view.js';

type Task = ListrTaskWrapper<unknown, any, any>;

/** The live task list of a run: one task per phase, one subtask per stream, titled from its folded view. */
export interface TaskList {
  /** Folds one journal entry into the view and redraws the stream it changed. */
  apply(entry: Pick<JournalEntry, 'kind' | 'payload'>): void;
  /** Ends the list: streams not yet final are shown failed with `reason` (the run is left as it is). */
  close(reason: string): Promise<void>;
}

/**
 * Whether a command draws the live task list rather than plain lines: only for a person at a terminal —
 * stdout a TTY, not --json, not CI (a CI log keeps every redraw as a line). `orchestra watch` and
 * `orchestra run` decide alike.
 */
export function wantsTaskList(jsonMode: boolean, stdout: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (jsonMode || !stdout.isTTY) return false;
  const ci = env.CI;
  return ci === undefined || ci === '' || ci === '0' || ci.toLowerCase() === 'false';
}

/**
 * Starts drawing the task list of these phases on stdout (listr2's renderer). `seen` are entries already in
 * the journal (a run taken over or watched midway), folded in before the first draw.
 */
export function startTaskList(phases: ReadonlyArray<{ id: string; streams: ReadonlyArray<{ id: string }> }>, seen: Iterable<Pick<JournalEntry, 'kind' | 'payload'>> = []): TaskList {
  const views = initialViews(phases.map((p) => ({ id: p.id, streams: [...p.streams] })));
  for (const entry of seen) applyEntry(views, entry as JournalEntry);
  const handles = new Map<string, { task: Task; resolve: () => void; reject: (e: Error) => void }>();
  let closed: string | null = null;
  const settle = (view: StreamView): void => {
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
      task: (_: unknown, parent: Task) =>
        parent.newListr(
          phase.streams.map((s) => ({
            title: s.id,
            task: (_ctx: unknown, task: Task) =>
              new Promise<void>((resolve, reject) => {
                handles.set(s.id, { task, resolve, reject });
                const v = views.get(s.id);
                if (v) settle(v);
                // A phase reached after the list was closed ends at once (listr2 starts phases one by one).
                if (closed !== null && handles.delete(s.id)) reject(new Error(`${s.id}  ${closed}`));
              }),
          })),
          { concurrent: true, exitOnError: false },
        ),
    })),
    // No SIGINT handler of listr2's own (it would exit 127 once the tasks settle): the command's interrupt
    // (interruptOn) decides — `run` stops its conductor gracefully and exits 130, `watch` only closes the view.
    { concurrent: false, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseSubtasks: false, color: colorEnabled() ? undefined : {} } as any },
  );
  const done = list.run().catch(() => {});
  return {
    apply(entry) {
      const v = applyEntry(views, entry as JournalEntry);
      if (v) settle(v);
    },
    async close(reason) {
      closed = reason;
      // listr2 shows a failed task's error in place of its title: the stream's last state stays readable.
      for (const [id, h] of handles) {
        const view = views.get(id);
        h.reject(new Error(`${id}  ${view ? `${describeView(view)} — ` : ''}${reason}`));
      }
      handles.clear();
      await done;
    },
  };
}

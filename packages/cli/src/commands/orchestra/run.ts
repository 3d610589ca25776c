import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { GodmodeError, type JournalEntry, type Plan } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { interruptOn } from '../../interrupt.js';
import { outcomeExitCode } from '../../outcome-exit-code.js';
import { renderRunEvent } from '../../render/run-event.js';
import { readPlanOf, rememberRun, requireTrust, takeoverCommands, takeoverTarget } from '../../run-guards.js';
import { services } from '../../services.js';
import { wantsTaskList, type TaskList } from '../../watch/task-list.js';

export class OrchestraRun extends GodmodeCommand {
  static override summary = 'Run a plan: phases in order, streams in parallel, every verdict read from the disk.';
  static override description = `Checks the plan first as \`godmode orchestra validate\` does (overlapping streams, commands not on PATH, Claude Code that cannot write, contradicting timeouts): a problem exits 2 and nothing is started. Then starts a conductor for the plan. On a terminal it draws the live task list of \`godmode orchestra watch\`; piped, with --json or under CI it prints plain lines (NDJSON with --json). Every worker event goes to the run's journal (.godmode/runs/<run-id>/journal.jsonl); every stream is reconciled against its work tree when its worker exits; the run ends with scorecard.json and receipt.md. With --detach the conductor runs in the background and the command prints the run id; follow it with \`godmode orchestra watch\`.`;
  static override examples = [
    { description: 'Run the bundled three-stream example', command: '<%= config.bin %> orchestra run examples/three-streams/plan.yaml' },
    { description: 'Run in the background; follow it with `godmode orchestra watch`', command: '<%= config.bin %> orchestra run plan.yaml --detach' },
    { description: 'Take over a run whose conductor died', command: '<%= config.bin %> orchestra run --resume 20261124-101500-demo-ab12' },
    { description: 'NDJSON events for scripts', command: '<%= config.bin %> orchestra run plan.yaml --json | jq -c .' },
    { description: 'Run the attempts on fleet agents', command: '<%= config.bin %> orchestra run plan.yaml --fleet postgres://godmode:secret@db.internal:5432/godmode' },
  ];
  static override args = {
    plan: Args.string({ description: 'Plan file (YAML or JSON).', required: false, ignoreStdin: true }),
  };
  static override flags = {
    detach: Flags.boolean({ description: 'Start the conductor in the background, print the run id and return.', default: false }),
    resume: Flags.string({ description: 'Take over an existing run (id or directory) instead of starting one.' }),
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    base: Flags.string({ description: 'On a git repository: the commit the streams start from (default: HEAD).' }),
    trust: Flags.boolean({ description: "With --resume: run the run's commands although this machine did not create or conduct it.", default: false }),
    fleet: Flags.string({ description: 'Run the attempts on a fleet of agent machines: the fleet database URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE). See `godmode fleet agent`.' }),
    'fleet-remote': Flags.string({ description: "With --fleet: the shared git remote agents fetch bases from and push work to (default: the repository's origin).", dependsOn: ['fleet'] }),
    'fleet-snapshot-every-ms': Flags.integer({ description: "With --fleet: push a running attempt's work tree to the shared remote at most this often, in milliseconds (default 30000).", min: 100, max: 3_600_000, dependsOn: ['fleet'] }),
    'fleet-heartbeat': Flags.integer({ description: 'With --fleet: seconds an agent may go silent before its attempt moves to another agent (default 30).', min: 10, max: 3_600, dependsOn: ['fleet'] }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraRun);
    if (!args.plan && !flags.resume) {
      throw new GodmodeError({
        code: 'PLAN_MISSING',
        audience: 'user',
        message: 'Name a plan file to run, or --resume <run> to take one over.',
        hint: 'Example: godmode orchestra run examples/three-streams/plan.yaml',
      });
    }
    let resume: string | undefined;
    let phases: Plan['phases'] | undefined;
    if (flags.resume) {
      const target = await takeoverTarget(flags.cwd, flags.resume);
      if (target.finished) {
        this.emit({ type: 'finished', runId: target.id, runDir: target.dir });
        this.print(`Run ${target.id} has already finished: nothing to resume, nothing was run or journaled. Read it with \`godmode orchestra report ${target.id}\`.`);
        return;
      }
      const plan = await readPlanOf(target.dir);
      await requireTrust(target.dir, { trust: flags.trust, commands: takeoverCommands(plan) });
      resume = target.dir;
      phases = plan.phases;
    }
    // Adapters from installed plugins (the godmode:adapters hook) are known before the plan is read or a worker starts.
    const { loadPluginAdapters } = await import('../../plugins/plugin-adapters.js');
    for (const problem of (await loadPluginAdapters(this.config)).problems) this.note(`warning: plugin ${problem.plugin}: ${problem.message}`);
    // The same validation as `orchestra validate`, before anything exists (no run folder, no conductor, in the
    // foreground and before --detach alike): a bad plan costs no agent time. The plan is read the guarded way
    // first (a regular file of at most 1 MiB, opened without blocking, parsed with the alias guard), so what the
    // rules read again is known to be safe to read. `repo:` and `setup` are left to the conductor, which checks
    // them itself with a more precise message (RUN_PLAN_RULES).
    if (args.plan && !resume) {
      const [{ loadPlanFile }, { adapterOptionSchemas }, { requireValidPlan }] = await Promise.all([import('@godmode/run-store'), import('@godmode/supervisor'), import('../../authoring/lazy.js')]);
      await loadPlanFile(args.plan, { adapters: adapterOptionSchemas() });
      phases = (await requireValidPlan(args.plan, { cwd: flags.cwd, at: resolve(args.plan) })).plan?.phases;
    }
    // A person at a terminal sees the live task list of `orchestra watch`; --json, a pipe or CI get plain lines.
    const live = !flags.detach && phases !== undefined && wantsTaskList(this.jsonMode);
    let list: TaskList | undefined;
    let seenSeq = 0;
    const startList = async (): Promise<TaskList> => {
      const { startTaskList } = await import('../../watch/task-list.js');
      // A run taken over is shown from what its journal already holds.
      const seen = resume ? await journalOf(resume) : [];
      seenSeq = seen.at(-1)?.seq ?? 0;
      return startTaskList(phases ?? [], seen);
    };
    let listReady: Promise<TaskList> | undefined;
    // Streams the run left unfinished are shown as such; the list is closed before anything else is printed.
    const closeList = async (): Promise<void> => {
      if (listReady) await (list ?? (await listReady)).close(controller.signal.aborted ? 'interrupted' : 'not finished');
    };
    const interrupt = interruptOn();
    const controller = interrupt.controller;
    try {
      const outcome = await services().run({
        ...(args.plan ? { planFile: args.plan } : {}),
        ...(resume ? { resume } : {}),
        ...(flags.base ? { base: flags.base } : {}),
        ...(flags.fleet
          ? {
              fleet: {
                db: flags.fleet,
                ...(flags['fleet-remote'] ? { remote: flags['fleet-remote'] } : {}),
                ...(flags['fleet-snapshot-every-ms'] !== undefined ? { snapshotEveryMs: flags['fleet-snapshot-every-ms'] } : {}),
                ...(flags['fleet-heartbeat'] !== undefined ? { heartbeatSeconds: flags['fleet-heartbeat'] } : {}),
              },
            }
          : {}),
        cwd: flags.cwd,
        detach: flags.detach,
        signal: controller.signal,
        onEvent: (event) => {
          // The run this machine creates is one whose commands it may run later (score, reconcile, takeover).
          if (event.kind === 'run.started') void rememberRun((event.payload as { runDir?: unknown } | undefined)?.runDir, (t) => this.note(t));
          if (this.jsonMode) this.emit(event);
          else if (live && (listReady || event.kind === 'run.started' || event.kind === 'run.takeover')) {
            if (event.type !== 'journal') return;
            // The run's first line (its id and folder) stays above the list; the list starts with the run.
            if (!listReady) {
              renderRunEvent(event, (line) => this.print(line));
              listReady = startList().then((l) => (list = l));
            }
            const entry = event as unknown as Pick<JournalEntry, 'seq' | 'kind' | 'payload'>;
            void listReady.then((l) => (entry.seq > seenSeq ? l.apply(entry) : undefined));
          } else renderRunEvent(event, (line) => this.print(line));
        },
      });
      await closeList();
      await rememberRun(outcome.runDir, (t) => this.note(t));
      if (outcome.detached) {
        this.emit({ type: 'detached', runId: outcome.runId, runDir: outcome.runDir });
        this.print(`Started run ${outcome.runId} in the background.`);
        this.print(`  watch it:  godmode orchestra watch ${outcome.runId}`);
        this.print(`  run dir:   ${outcome.runDir}`);
        return;
      }
      this.emit({ type: 'outcome', ...outcome, interrupted: controller.signal.aborted });
      this.print('');
      this.print(`${outcome.shipped} of ${outcome.streams} streams shipped (run ${outcome.runId}).`);
      if (outcome.scorecardFile) this.print(`scorecard: ${outcome.scorecardFile}`);
      if (outcome.receiptFile) this.print(`receipt:   ${outcome.receiptFile}`);
      if (outcome.receiptHtml) this.print(`           ${outcome.receiptHtml}`);
      const code = outcomeExitCode({ ...outcome, interrupted: controller.signal.aborted });
      if (code !== 0) this.done(code);
    } finally {
      await closeList();
      interrupt.dispose();
    }
  }
}

/** The entries a run's journal holds now (read-only). */
async function journalOf(runDir: string): Promise<JournalEntry[]> {
  const { openRun } = await import('@godmode/run-store');
  const store = await openRun(runDir);
  try {
    return (await store.journal.read()).entries;
  } finally {
    await store.close();
  }
}

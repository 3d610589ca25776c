import { Args, Flags } from '@oclif/core';
import { GodmodeError } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { interruptOn } from '../../interrupt.js';
import { outcomeExitCode } from '../../outcome-exit-code.js';
import { renderRunEvent } from '../../render/run-event.js';
import { readPlanOf, rememberRun, requireTrust, takeoverCommands, takeoverTarget } from '../../run-guards.js';
import { services } from '../../services.js';

export class OrchestraRun extends GodmodeCommand {
  static override summary = 'Run a plan: phases in order, streams in parallel, every verdict read from the disk.';
  static override description = `Starts a conductor for the plan. Every worker event goes to the run's journal (.godmode/runs/<run-id>/journal.jsonl); every stream is reconciled against its work tree when its worker exits; the run ends with scorecard.json and receipt.md. With --detach the conductor runs in the background and the command prints the run id; follow it with \`godmode orchestra watch\`.`;
  static override examples = [
    { description: 'Run the bundled three-stream example', command: '<%= config.bin %> orchestra run examples/three-streams/plan.yaml' },
    { description: 'Run in the background; follow it with `godmode orchestra watch`', command: '<%= config.bin %> orchestra run plan.yaml --detach' },
    { description: 'Take over a run whose conductor died', command: '<%= config.bin %> orchestra run --resume 20261124-101500-demo-ab12' },
    { description: 'NDJSON events for scripts', command: '<%= config.bin %> orchestra run plan.yaml --json | jq -c .' },
    { description: 'Run the attempts on fleet agents', command: '<%= config.bin %> orchestra run plan.yaml --fleet postgres://godmode:secret@db.internal:5432/godmode' },
  ];
  static override args = {
    plan: Args.string({ description: 'Plan file (YAML or JSON).', required: false }),
  };
  static override flags = {
    detach: Flags.boolean({ description: 'Start the conductor in the background, print the run id and return.', default: false }),
    resume: Flags.string({ description: 'Take over an existing run (id or directory) instead of starting one.' }),
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    base: Flags.string({ description: 'On a git repository: the commit the streams start from (default: HEAD).' }),
    trust: Flags.boolean({ description: "With --resume: run the run's commands although this machine did not create or conduct it.", default: false }),
    fleet: Flags.string({ description: 'Run the attempts on a fleet of agent machines: the fleet database URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE). See `godmode fleet agent`.' }),
    'fleet-remote': Flags.string({ description: "With --fleet: the shared git remote agents fetch bases from and push work to (default: the repository's origin).", dependsOn: ['fleet'] }),
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
    if (flags.resume) {
      const target = await takeoverTarget(flags.cwd, flags.resume);
      if (target.finished) {
        this.emit({ type: 'finished', runId: target.id, runDir: target.dir });
        this.print(`Run ${target.id} has already finished: nothing to resume, nothing was run or journaled. Read it with \`godmode orchestra report ${target.id}\`.`);
        return;
      }
      await requireTrust(target.dir, { trust: flags.trust, commands: takeoverCommands(await readPlanOf(target.dir)) });
      resume = target.dir;
    }
    // Adapters from installed plugins (the godmode:adapters hook) are known before the plan is read or a worker starts.
    const { loadPluginAdapters } = await import('../../plugins/plugin-adapters.js');
    for (const problem of (await loadPluginAdapters(this.config)).problems) this.note(`warning: plugin ${problem.plugin}: ${problem.message}`);
    // The same validation as `orchestra validate`, before anything exists: a bad plan costs no agent time.
    // `orchestra validate` checks more than the schema; running the same rules here first is not wired yet: some of
    // them (repo:, setup) report cases the conductor reports more precisely itself (see issue 16's note).
    const interrupt = interruptOn();
    const controller = interrupt.controller;
    try {
      const outcome = await services().run({
        ...(args.plan ? { planFile: args.plan } : {}),
        ...(resume ? { resume } : {}),
        ...(flags.base ? { base: flags.base } : {}),
        ...(flags.fleet ? { fleet: { db: flags.fleet, ...(flags['fleet-remote'] ? { remote: flags['fleet-remote'] } : {}) } } : {}),
        cwd: flags.cwd,
        detach: flags.detach,
        signal: controller.signal,
        onEvent: (event) => {
          // The run this machine creates is one whose commands it may run later (score, reconcile, takeover).
          if (event.kind === 'run.started') void rememberRun((event.payload as { runDir?: unknown } | undefined)?.runDir, (t) => this.note(t));
          if (this.jsonMode) this.emit(event);
          else renderRunEvent(event, (line) => this.print(line));
        },
      });
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
      interrupt.dispose();
    }
  }
}

import { Args, Flags } from '@oclif/core';
import { terminalText } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { interruptOn } from '../../interrupt.js';
import { paint } from '../../render/color.js';
import { renderRunEvent } from '../../render/run-event.js';
import { renderTable } from '../../render/table.js';
import { outcomeExitCode } from '../../outcome-exit-code.js';
import { fleetTakeoverTarget, readPlanOf, requireTrust, takeoverTarget, takeoverCommands } from '../../run-guards.js';
import { services } from '../../services.js';

export class OrchestraTakeover extends GodmodeCommand {
  static override summary = 'Take a run over from a dead conductor, or audit it if its conductor is alive.';
  static override description = `If the run's conductor is gone, waits for its lease to expire, takes the lease with a higher fencing token, replays the journal, reconciles every stream from the disk, adopts live workers by identity (pid + start time + command line) and carries the run on. If the conductor is alive, does a read-only audit instead: journal against disk, every drift reported, nothing changed.`;
  static override examples = [
    { description: 'Take over the latest run', command: '<%= config.bin %> orchestra takeover' },
    { description: 'Audit or take over a given run, as NDJSON', command: '<%= config.bin %> orchestra takeover 20261124-101500-demo-ab12 --json' },
    { description: 'Take a fleet run over from any machine with the database URL, in this clone', command: '<%= config.bin %> orchestra takeover 20261124-101500-demo-ab12 --fleet postgres://fleet@db/fleet' },
  ];
  static override args = { run: Args.string({ description: 'Run id or directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    trust: Flags.boolean({ description: "Run this run's commands although this machine did not create or conduct it (read its plan.json first).", default: false }),
    fleet: Flags.string({
      description:
        "A fleet run: the fleet database's URL. The run's lease there decides who conducts it; on a machine without the run's folder, the folder is rebuilt in this clone from the database and the shared remote (the database is trusted as the fleet's agents trust it).",
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraTakeover);
    const target = flags.fleet ? await fleetTakeoverTarget(flags.cwd, args.run, flags.fleet) : await takeoverTarget(flags.cwd, args.run);
    if (target.finished) {
      // A finished run is read-only to takeover: its merge, tests and receipts are done. Nothing is run or journaled.
      this.emit({ type: 'finished', runId: target.id, runDir: target.dir });
      this.print(`Run ${target.id} has already finished: nothing to take over, nothing was run or journaled. Read it with \`godmode orchestra report ${target.id}\`.`);
      return;
    }
    // A fleet run rebuilt from its database is trusted as the fleet's agents trust the database.
    if (target.dir !== null) await requireTrust(target.dir, { trust: flags.trust, commands: takeoverCommands(await readPlanOf(target.dir)) });
    // A run on a plugin's adapter needs the plugin's adapters to adopt or restart its workers.
    const { loadPluginAdapters } = await import('../../plugins/plugin-adapters.js');
    for (const problem of (await loadPluginAdapters(this.config)).problems) this.note(`warning: plugin ${problem.plugin}: ${problem.message}`);
    const interrupt = interruptOn();
    const controller = interrupt.controller;
    try {
      const outcome = await services().takeover({
        run: target.dir ?? target.id,
        cwd: flags.cwd,
        ...(flags.fleet ? { fleet: flags.fleet } : {}),
        signal: controller.signal,
        onEvent: (event) => {
          if (this.jsonMode) return this.emit(event);
          if (event.type === 'audit') {
            const streams = event.streams as Array<{ stream: string; journal: string | null; disk: string; drift: string | null }>;
            this.print(`The conductor (pid ${event.pid}, token ${event.token}) is alive: audited instead of taking over. Nothing was changed.`);
            this.print(renderTable(['stream', 'journal', 'disk', 'drift'], streams.map((s) => [s.stream, s.journal ?? '—', s.disk, s.drift ? paint('yellow', terminalText(s.drift)) : 'none'])));
            return;
          }
          renderRunEvent(event, (line) => this.print(line));
        },
      });
      this.emit({ type: 'outcome', ...outcome });
      if (!outcome.audited) {
        this.print(`${outcome.shipped} of ${outcome.streams} streams shipped (run ${outcome.runId}).`);
        if (outcome.receiptFile) this.print(`receipt: ${outcome.receiptFile}`);
      }
      // An audit changes nothing and has no outcome of its own; a takeover's outcome is the run's.
      const code = outcome.audited ? 0 : outcomeExitCode({ ...outcome, interrupted: controller.signal.aborted });
      if (code !== 0) this.done(code);
    } finally {
      interrupt.dispose();
    }
  }
}

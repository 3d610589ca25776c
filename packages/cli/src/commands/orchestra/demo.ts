import { Flags } from '@oclif/core';
import { GodmodeCommand } from '../../base-command.js';
import { interruptOn } from '../../interrupt.js';
import { renderRunEvent } from '../../render/run-event.js';
import { outcomeExitCode } from '../../outcome-exit-code.js';
import { rememberRun } from '../../run-guards.js';
import { services } from '../../services.js';

export class OrchestraDemo extends GodmodeCommand {
  static override summary = "Replay the seed incident: four builders, three CPU-hot, and a disk that tells the truth.";
  static override description = `Runs a built-in plan with no network and no credentials: 4 builder streams (cli core, commands + auth, telemetry, tests) whose workers are bundled scripts. Three run CPU-hot under an 80% ceiling; two finish their files and go silent without a claim; one claims "throttled stub" after shipping everything. The governor pauses instead of killing, stalls are read against the disk, and the receipt shows 4/4 shipped. With --chaos the conductor is SIGKILLed mid-run and a takeover finishes the run.`;
  static override examples = [
    { description: 'The incident, replayed', command: '<%= config.bin %> orchestra demo' },
    { description: 'Kill the conductor mid-run and watch a takeover finish it', command: '<%= config.bin %> orchestra demo --chaos' },
  ];
  static override flags = {
    chaos: Flags.boolean({ description: 'SIGKILL the conductor mid-run; a takeover finishes the run.', default: false }),
    cwd: Flags.string({ description: 'Directory whose .godmode/runs receives the run.', default: process.cwd() }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(OrchestraDemo);
    const interrupt = interruptOn();
    const controller = interrupt.controller;
    try {
      const outcome = await services().demo({
        cwd: flags.cwd,
        chaos: flags.chaos,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'daemon' || event.kind === 'run.started') void rememberRun(event.runDir ?? (event.payload as { runDir?: unknown } | undefined)?.runDir, (t) => this.note(t));
          if (this.jsonMode) return this.emit(event);
          if (event.type === 'chaos') this.print(`☠  chaos: SIGKILLed the conductor (pid ${event.killed}); taking over…`);
          renderRunEvent(event, (line) => this.print(line));
        },
      });
      await rememberRun(outcome.runDir, (t) => this.note(t));
      this.emit({ type: 'outcome', ...outcome });
      this.print('');
      this.print(`${outcome.shipped} of ${outcome.streams} streams shipped (run ${outcome.runId}).`);
      if (outcome.receiptFile) this.print(`receipt: ${outcome.receiptFile}`);
      if (outcome.receiptHtml) this.print(`         ${outcome.receiptHtml}`);
      const code = outcomeExitCode({ ...outcome, interrupted: controller.signal.aborted });
      if (code !== 0) this.done(code);
    } finally {
      interrupt.dispose();
    }
  }
}

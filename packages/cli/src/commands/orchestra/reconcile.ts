import { Args, Flags } from '@oclif/core';
import { terminalText, type Verdict } from '@godmode/protocol';
import { reconcileRun } from '@godmode/reconciler';
import { openRun, resolveRun, runsRoot } from '@godmode/run-store';
import { GodmodeCommand } from '../../base-command.js';
import { checkCommands, requireTrust } from '../../run-guards.js';
import { paint } from '../../render/color.js';
import { renderTable } from '../../render/table.js';

/** The "claim vs disk" table: what each worker said, what the disk shows, and the verdict's sentence. */
export function renderClaimVsDisk(verdicts: Verdict[]): string {
  const statusColor = { shipped: 'green', partial: 'yellow', missing: 'red' } as const;
  const rows = verdicts.map((v) => [
    v.stream,
    v.claim.status !== null ? `"${terminalText(v.claim.status, { max: 30 })}"` : v.claim.state === 'read' ? '(no status)' : `(${v.claim.state})`,
    `${paint(statusColor[v.status], v.status)} ${v.deliverables.present}/${v.deliverables.expected}`,
    v.divergence === 'agrees' || v.divergence === 'no-claim' ? v.divergence : paint('bold', v.divergence),
    terminalText(v.sentence),
  ]);
  return renderTable(['stream', 'claim', 'disk', 'divergence', 'sentence'], rows);
}

export class OrchestraReconcile extends GodmodeCommand {
  static override summary = "Re-read the disk for a run's streams and rewrite their verdicts: claim vs disk.";
  static override description =
    "Looks at every stream's work tree (or one with --stream) — deliverables, stubs, its check command, git state — and compares it with the worker's result.json, which is testimony only. Writes each verdict.json atomically and journals stream.reconciled through the run store, without taking the lease, so it works on a finished run, an abandoned one, or one whose conductor died.";
  static override examples = [
    { description: 'Reconcile the latest run', command: '<%= config.bin %> orchestra reconcile' },
    { description: 'One stream of a given run, as JSON', command: '<%= config.bin %> orchestra reconcile 20261124-101500-demo-ab12 --stream auth --json' },
  ];
  static override args = { run: Args.string({ description: 'Run id, unique id prefix, or run directory (default: the latest run).' }) };
  static override flags = {
    stream: Flags.string({ description: 'Only this stream.' }),
    'skip-check': Flags.boolean({ description: "Do not run the streams' check commands.", default: false }),
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    trust: Flags.boolean({ description: "Run the streams' check commands although this machine did not create or conduct the run.", default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraReconcile);
    const store = await openRun(await resolveRun(runsRoot(flags.cwd), args.run));
    try {
      if (!flags['skip-check']) await requireTrust(store.dir, { trust: flags.trust, commands: checkCommands((await store.readPlan()).plan), skipFlag: '--skip-check' });
      const verdicts = await reconcileRun(store, { ...(flags.stream ? { stream: flags.stream } : {}), runCheck: !flags['skip-check'] });
      if (this.jsonMode) {
        process.stdout.write(JSON.stringify({ run: store.id, verdicts }) + '\n');
        return;
      }
      this.print(`run ${store.id} — claim vs disk`);
      this.print(renderClaimVsDisk(verdicts));
      const shipped = verdicts.filter((v) => v.status === 'shipped').length;
      this.print('');
      this.print(`${shipped} of ${verdicts.length} stream(s) shipped on disk; verdicts rewritten.`);
    } finally {
      await store.close();
    }
  }
}

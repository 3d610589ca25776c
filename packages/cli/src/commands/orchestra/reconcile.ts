import { Args, Flags } from '@oclif/core';
import { terminalText, type Verdict } from '@godmode/protocol';
import { reconcileRun } from '@godmode/reconciler';
import { openRun, resolveRun, runsRoot } from '@godmode/run-store';
import { GodmodeCommand } from '../../base-command.js';
import { checkCommands, requireTrust } from '../../run-guards.js';
import { paint } from '../../render/color.js';
import { renderTable } from '../../render/table.js';
import { writeStdout } from '../../render/stdout.js';

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
  static override args = { run: Args.string({ description: 'Run id, unique id prefix, or run directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    stream: Flags.string({ description: 'Only this stream.' }),
    'skip-check': Flags.boolean({ description: "Do not run the streams' check commands.", default: false }),
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    trust: Flags.boolean({ description: "Run the streams' check commands although this machine did not create or conduct the run.", default: false }),
    fleet: Flags.string({
      description:
        "A fleet run, read from the fleet database at this URL and the shared remote's pushed commits, from any machine: each stream's last pushed commit is checked out in a temporary folder and judged there. Read-only: nothing is journaled or written, here or in the database.",
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraReconcile);
    if (flags.fleet) return this.reconcileFleetRun(flags.fleet, args.run, { stream: flags.stream, runCheck: !flags['skip-check'] });
    const store = await openRun(await resolveRun(runsRoot(flags.cwd), args.run));
    try {
      if (!flags['skip-check']) await requireTrust(store.dir, { trust: flags.trust, commands: checkCommands((await store.readPlan()).plan), skipFlag: '--skip-check' });
      const verdicts = await reconcileRun(store, { ...(flags.stream ? { stream: flags.stream } : {}), runCheck: !flags['skip-check'] });
      if (this.jsonMode) {
        writeStdout(JSON.stringify({ run: store.id, verdicts }) + '\n');
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

  /** `--fleet`: the disk's verdicts on a fleet run from the database and the remote, beside the conductor's. */
  private async reconcileFleetRun(db: string, run: string | undefined, options: { stream: string | undefined; runCheck: boolean }): Promise<void> {
    const { openPublishedRunView, rejudgePublishedRun } = await import('@godmode/fleet');
    // The plan comes from the fleet database, trusted as the fleet's agents trust it (they run what it queues).
    const view = await openPublishedRunView({ db, run });
    try {
      const verdicts = await rejudgePublishedRun(view, { ...(options.stream ? { stream: options.stream } : {}), runCheck: options.runCheck });
      if (this.jsonMode) {
        writeStdout(JSON.stringify({ run: view.runId, database: view.database, verdicts }) + '\n');
        return;
      }
      this.print(`fleet run ${view.runId} (${view.database}) — claim vs the pushed commits`);
      this.print(renderClaimVsDisk(verdicts));
      const shipped = verdicts.filter((v) => v.status === 'shipped').length;
      this.print('');
      this.print(`${shipped} of ${verdicts.length} stream(s) shipped in the commits on ${view.remote}; read-only: nothing was written.`);
    } finally {
      await view.close();
    }
  }
}

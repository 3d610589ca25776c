import { Args, Flags } from '@oclif/core';
import { resolveRun, runsRoot } from '@godmode/run-store';
import { scoreRunDir, type RunScorecard } from '@godmode/scorer';
import { terminalText } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { planCommands, readPlanOf, requireTrust } from '../../run-guards.js';
import { paint } from '../../render/color.js';
import { renderTable } from '../../render/table.js';
import { writeStdout } from '../../render/stdout.js';

/** The scorecard as a short human table; shared with `report`. */
export function renderScorecard(card: RunScorecard): string {
  const rows = Object.entries(card.dimensions).map(([name, d]) => [
    name,
    d.measured ? paint(d.score >= 0.8 ? 'green' : d.score >= 0.5 ? 'yellow' : 'red', d.score.toFixed(2)) : paint('gray', 'unmeasured'),
    terminalText(d.measured ? d.why : d.reason),
  ]);
  const lines = [renderTable(['dimension', 'score', 'why'], rows), ''];
  lines.push(`overall ${card.overall === null ? 'unmeasured' : paint('bold', card.overall.toFixed(2))}${card.unmeasured.length ? ` (unmeasured: ${card.unmeasured.join(', ')})` : ''}`);
  lines.push(
    `game    ${card.game.points} points · level ${card.game.level} · longest combo ${card.game.longestCombo}${card.game.achievements.length ? ` · ${card.game.achievements.join(', ')}` : ''}`,
  );
  const high = card.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
  if (high.length) lines.push(paint('red', `${high.length} high/critical finding(s): ${high.map((f) => `${terminalText(f.rule)} in ${terminalText(f.file)}`).join('; ')}`));
  return lines.join('\n');
}

export class OrchestraScore extends GodmodeCommand {
  static override summary = 'Grade a run from its disk and journal, and write scorecard.json.';
  static override description =
    "Recomputes every dimension from the run directory alone — the reconciler's verdicts, the merged tree, the run's logs — and never from a worker's result.json. Runs the plan's test, lint and typecheck commands on the merged tree (skip them with --skip-commands). Writes scorecard.json, receipt.md and receipt.html into the run.";
  static override examples = [
    { description: 'Score the latest run', command: '<%= config.bin %> orchestra score' },
    { description: 'Score a given run without running its tests, as JSON', command: '<%= config.bin %> orchestra score 20261124-101500-demo-ab12 --skip-commands --json' },
  ];
  static override args = { run: Args.string({ description: 'Run id or run directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    trust: Flags.boolean({ description: "Run the plan's commands although this machine did not create or conduct the run.", default: false }),
    'skip-commands': Flags.boolean({ description: "Do not run the plan's test, lint and typecheck commands (correctness is then unmeasured).", default: false }),
    fleet: Flags.string({
      description:
        "A fleet run, graded from the fleet database at this URL (its journal and verdicts) and the shared remote (its integration head, checked out in a temporary folder), from any machine. Read-only: the scorecard is printed, nothing is written.",
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraScore);
    if (flags.fleet) return this.scoreFleetRun(flags.fleet, args.run, !flags['skip-commands']);
    const dir = await resolveRun(runsRoot(flags.cwd), args.run);
    if (!flags['skip-commands']) await requireTrust(dir, { trust: flags.trust, commands: planCommands(await readPlanOf(dir)), skipFlag: '--skip-commands' });
    const { scorecard, files, run } = await scoreRunDir(dir, { runTests: !flags['skip-commands'] });
    for (const warning of run.warnings) this.note(`warning: ${terminalText(warning)}`);
    if (this.jsonMode) {
      writeStdout(JSON.stringify(scorecard) + '\n');
      return;
    }
    this.print(`run ${scorecard.run} — plan "${run.plan.name}"`);
    this.print(renderScorecard(scorecard));
    this.print('');
    this.print(`scorecard ${files.scorecard}`);
    if (files.md) this.print(`receipt   ${files.md}`);
    if (files.html) this.print(`          ${files.html}`);
  }

  /** `--fleet`: the scorecard of a fleet run from the database and the remote, computed in a temporary folder. */
  private async scoreFleetRun(db: string, run: string | undefined, runTests: boolean): Promise<void> {
    const { openPublishedRunView, checkoutIntegration } = await import('@godmode/fleet');
    // The plan comes from the fleet database, trusted as the fleet's agents trust it (they run what it queues).
    const view = await openPublishedRunView({ db, run });
    try {
      const mergedTree = await checkoutIntegration(view);
      const { scorecard, run: loaded } = await scoreRunDir(view.store.dir, { runTests, mergedTree, receipts: false });
      for (const warning of loaded.warnings) this.note(`warning: ${terminalText(warning)}`);
      if (this.jsonMode) {
        writeStdout(JSON.stringify(scorecard) + '\n');
        return;
      }
      this.print(`fleet run ${scorecard.run} (${view.database}) — plan "${loaded.plan.name}"`);
      this.print(renderScorecard(scorecard));
      this.print('');
      this.print(mergedTree ? `merged tree: ${view.integration} on ${view.remote}` : 'nothing was merged yet: the merged tree is unmeasured');
      this.print('read-only: nothing was written, here or in the database.');
    } finally {
      await view.close();
    }
  }
}

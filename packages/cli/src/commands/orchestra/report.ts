import { Args, Flags } from '@oclif/core';
import { spawn } from 'node:child_process';
import { resolveRun, runsRoot } from '@godmode/run-store';
import { isTrusted } from '@godmode/run-store';
import { readScorecard, reportRunDir } from '@godmode/scorer';
import { GodmodeCommand } from '../../base-command.js';
import { planCommands, readPlanOf, requireTrust } from '../../run-guards.js';
import { writeStdout } from '../../render/stdout.js';

function opener(): string {
  if (process.platform === 'darwin') return 'open';
  if (process.platform === 'win32') return 'explorer';
  return 'xdg-open';
}

export class OrchestraReport extends GodmodeCommand {
  static override summary = "Show a run's receipt: markdown, the self-contained HTML page, or the scorecard as JSON.";
  static override description =
    'Rewrites receipt.md and receipt.html from the run\'s scorecard.json and journal (scoring the run first if it has no scorecard yet) and prints the receipt. The HTML receipt is one self-contained file — inline CSS and SVG, no script, no network — with a "one builder, two truths" timeline per worker.';
  static override examples = [
    { description: 'The latest run\'s receipt, as markdown', command: '<%= config.bin %> orchestra report' },
    { description: 'Open the HTML receipt of a run in the browser', command: '<%= config.bin %> orchestra report 20261124-101500-demo-ab12 --format html --open' },
    { description: 'The scorecard as JSON', command: '<%= config.bin %> orchestra report --format json' },
  ];
  static override args = { run: Args.string({ description: 'Run id or run directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    format: Flags.string({ description: 'What to print: the markdown receipt, the path of the HTML receipt, or the scorecard JSON.', options: ['md', 'html', 'json'], default: 'md' }),
    open: Flags.boolean({ description: 'Open the HTML receipt in the default browser.', default: false }),
    rescore: Flags.boolean({ description: 'Score the run again first (runs its test command).', default: false }),
    trust: Flags.boolean({ description: "Run the plan's commands when scoring although this machine did not create or conduct the run.", default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraReport);
    const dir = await resolveRun(runsRoot(flags.cwd), args.run);
    const commands = planCommands(await readPlanOf(dir));
    let runTests = true;
    if (flags.rescore) await requireTrust(dir, { trust: flags.trust, commands });
    else if (commands.length > 0 && readScorecard(dir) === null && !flags.trust && !(await isTrusted(dir))) {
      // Scoring first is a side effect of reading: do it without the plan's commands rather than refuse.
      runTests = false;
      this.note(`not running ${commands.join(', ')} of a run this machine did not create or conduct (correctness is unmeasured); pass --trust to run them`);
    }
    const report = await reportRunDir(dir, { rescore: flags.rescore, runTests });
    if (report.rescored) this.note(`scored the run first: ${report.files.scorecard}`);
    const format = this.jsonMode ? 'json' : flags.format;
    if (format === 'json') writeStdout(JSON.stringify(report.scorecard) + '\n');
    else if (format === 'html') this.print(report.files.html);
    else this.print(report.markdown);
    if (flags.open) {
      try {
        // A browser outlives this command: spawn it detached and only wait long enough to see it start.
        const child = spawn(opener(), [report.files.html], { detached: true, stdio: 'ignore' });
        const started = await new Promise<boolean>((resolve) => {
          child.once('error', () => resolve(false));
          child.once('spawn', () => resolve(true));
        });
        child.unref();
        if (!started) throw new Error('no browser');
      } catch {
        this.note(`could not start a browser; open ${report.files.html} yourself`);
      }
    }
  }
}

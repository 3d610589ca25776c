import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { terminalText } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { ExitCode } from '../../exit-codes.js';
import { paint } from '../../render/color.js';
import { writeStdout } from '../../render/stdout.js';

export class OrchestraValidate extends GodmodeCommand {
  static override summary = 'Check a plan before it costs agent time; --dry-run shows what a run would start.';
  static override description = `Checks the schema, then what the schema cannot see: streams of one phase whose deliverables or owns: globs overlap (unless allowOverlap: true), setup/test/lint/typecheck/check commands not on PATH, Claude Code streams that cannot write files, adapters no installed plugin provides, a repo: that is not a git repository, and timeouts that contradict each other. Each problem names the file, the path inside it and what to change. Exits 2 when there is a problem. --dry-run also prints the phase/stream graph, what each stream owns, the work trees and disk a run needs and its worst-case time; nothing is started and nothing on disk changes.`;
  static override examples = [
    { description: 'Check a plan', command: '<%= config.bin %> orchestra validate godmode.plan.yaml' },
    { description: 'What would run, and the worst case', command: '<%= config.bin %> orchestra validate godmode.plan.yaml --dry-run' },
    { description: 'Problems as data', command: '<%= config.bin %> orchestra validate godmode.plan.yaml --json | jq .problems' },
  ];
  static override args = { plan: Args.string({ description: 'Plan file (YAML or JSON).', required: true }) };
  static override flags = {
    'dry-run': Flags.boolean({ description: 'Also print the graph, owns, work trees, disk and worst-case time of a run.', default: false }),
    cwd: Flags.string({ description: 'Directory the plan path is relative to.', default: process.cwd() }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraValidate);
    const { validatePlanFile, describeDryRun, renderDryRun, formatProblem } = await import('../../authoring/index.js');
    // Adapters from installed plugins (the godmode:adapters hook) join the supervisor's registry the plan is checked against.
    const { loadPluginAdapters } = await import('../../plugins/plugin-adapters.js');
    for (const problem of (await loadPluginAdapters(this.config)).problems) this.note(`warning: plugin ${problem.plugin}: ${problem.message}`);
    const validation = await validatePlanFile(resolve(flags.cwd, args.plan), { cwd: flags.cwd });
    const problems = validation.problems.map((p) => ({ ...p, file: args.plan }));
    const dryRun = flags['dry-run'] && validation.plan && problems.length === 0 ? await describeDryRun(validation.plan, validation.repoDir) : undefined;
    if (this.jsonMode) {
      writeStdout(JSON.stringify({ file: args.plan, valid: problems.length === 0, problems, ...(flags['dry-run'] ? { dryRun: dryRun ?? null } : {}) }) + '\n');
    } else if (problems.length > 0) {
      process.stderr.write(`${paint('red', `${args.plan}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, process.stderr)}\n`);
      for (const problem of problems) process.stderr.write(terminalText(formatProblem(problem), { keepNewlines: true }) + '\n');
      if (flags['dry-run']) process.stderr.write('No dry run: fix the problems first.\n');
    } else {
      this.print(`${args.plan}: valid (${validation.plan?.phases.length ?? 0} phases, ${validation.plan?.phases.reduce((n, p) => n + p.streams.length, 0) ?? 0} streams).`);
      if (dryRun) {
        this.print('');
        for (const line of renderDryRun(dryRun)) this.print(terminalText(line));
      }
    }
    if (problems.length > 0) this.exit(ExitCode.userError);
  }
}

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { terminalText } from '@godmode/protocol';
import { GodmodeCommand } from '../../base-command.js';
import { ExitCode } from '../../exit-codes.js';
import { paint } from '../../render/color.js';

export class OrchestraPlan extends GodmodeCommand {
  static override summary = 'Have your Claude Code draft a plan for a goal; written only once it validates.';
  static override description = `Runs your own Claude Code headless in the repository with read-only tools (Read, Glob, Grep) and asks it for a plan: a recon phase, then streams with disjoint owns: globs, deliverables and checks. Each draft is checked with the same code as \`orchestra validate\`; the problems go back to Claude Code, up to 3 drafts in all. The plan is written only when valid, with Claude Code's reasoning as YAML comments. Exits 1 when no draft validated (nothing is written; the last problems are shown).`;
  static override examples = [
    { description: 'Draft a plan with four parallel streams', command: '<%= config.bin %> orchestra plan "Add OAuth login to the web app"' },
    { description: 'Six streams, to another file', command: '<%= config.bin %> orchestra plan "Port the CLI to Go" --streams 6 --out port.plan.yaml' },
  ];
  static override args = { goal: Args.string({ description: 'What the run should achieve.', required: true }) };
  static override flags = {
    streams: Flags.integer({ description: 'Parallel streams of the main phase.', min: 1, max: 32, default: 4 }),
    out: Flags.string({ description: 'Where to write the plan.', default: 'godmode.plan.yaml' }),
    force: Flags.boolean({ description: 'Overwrite an existing plan file.', default: false }),
    model: Flags.string({ description: 'Claude Code model for the draft (its default otherwise).' }),
    cwd: Flags.string({ description: 'The repository.', default: process.cwd() }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraPlan);
    const { draftPlan, formatProblem, PlanDraftError, PlanExistsError } = await import('../../authoring/index.js');
    const { resolveClaudeBinary } = await import('../../claude/binary.js');
    // Adapters from installed plugins (the godmode:adapters hook) join the supervisor's registry the plan is checked against.
    const { loadPluginAdapters } = await import('../../plugins/plugin-adapters.js');
    for (const problem of (await loadPluginAdapters(this.config)).problems) this.note(`warning: plugin ${problem.plugin}: ${problem.message}`);
    const cwd = resolve(flags.cwd);
    const file = resolve(cwd, flags.out);
    if (existsSync(file) && !flags.force) throw new PlanExistsError({ file: flags.out });
    const binary = resolveClaudeBinary(process.env);
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      this.note(`Claude Code is reading ${cwd} to draft a plan (read-only tools)…`);
      const result = await draftPlan({
        goal: args.goal,
        streams: flags.streams,
        cwd,
        outFile: flags.out,
        binary,
        signal: controller.signal,
        ...(flags.model ? { model: flags.model } : {}),
        onRound: (round, problems) => {
          this.emit({ type: 'draft', round, valid: problems.length === 0, problems });
          if (problems.length > 0 && !this.jsonMode) {
            this.note(`draft ${round}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; sent back to Claude Code`);
            for (const problem of problems) this.note(terminalText(`  ${formatProblem(problem)}`, { keepNewlines: true }));
          }
        },
      });
      await writeFile(file, result.text, { flag: flags.force ? 'w' : 'wx' });
      this.emit({ type: 'written', file, rounds: result.rounds });
      this.print(`Wrote ${flags.out}: a valid plan after ${result.rounds} draft${result.rounds === 1 ? '' : 's'}.`);
      this.print(`  godmode orchestra validate ${flags.out} --dry-run`);
      this.print(`  godmode orchestra run ${flags.out}`);
    } catch (error) {
      if (controller.signal.aborted) {
        this.note('Interrupted: nothing was written.');
        this.exit(ExitCode.interrupted);
      }
      if (!PlanDraftError.isInstance(error)) throw error;
      if (this.jsonMode) {
        this.emit({ type: 'error', code: error.code, message: error.message, rounds: error.rounds, problems: error.problems });
      } else {
        process.stderr.write(`${paint('red', 'Error:', process.stderr)} ${terminalText(error.message, { keepNewlines: true })}\n`);
        if (error.hint) process.stderr.write(`${paint('dim', error.hint, process.stderr)}\n`);
      }
      this.exit(ExitCode.failedOutcome);
    } finally {
      process.off('SIGINT', onSignal);
    }
  }
}

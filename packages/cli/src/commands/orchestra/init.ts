import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { GodmodeCommand } from '../../base-command.js';
import { writeStdout } from '../../render/stdout.js';

export class OrchestraInit extends GodmodeCommand {
  static override summary = 'Write godmode.plan.yaml for this repository, commented line by line.';
  static override description = `Detects the repository's own setup, test, lint and typecheck commands (package.json scripts with npm, pnpm, yarn or bun; pyproject.toml/pytest; go.mod; Cargo.toml; Makefile targets) and writes a plan from a template: "seed" (recon, builders, test, harden, document), "builders" (parallel builders) or "review" (read-only reviewers). What cannot be detected stays a commented placeholder. Never overwrites a plan without --force.`;
  static override examples = [
    { description: 'The seed shape with four builders', command: '<%= config.bin %> orchestra init' },
    { description: 'Six builders only', command: '<%= config.bin %> orchestra init --template builders --streams 6' },
    { description: 'Then check it', command: '<%= config.bin %> orchestra validate godmode.plan.yaml --dry-run' },
  ];
  static override flags = {
    template: Flags.string({ description: 'Which plan shape to start from.', options: ['seed', 'builders', 'review'], default: 'seed' }),
    streams: Flags.integer({ description: 'Parallel streams of the main phase.', min: 1, max: 32, default: 4 }),
    force: Flags.boolean({ description: 'Overwrite an existing plan file.', default: false }),
    out: Flags.string({ description: 'Where to write the plan.', default: 'godmode.plan.yaml' }),
    cwd: Flags.string({ description: 'The repository.', default: process.cwd() }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(OrchestraInit);
    const { dealAreas, detectAreas, detectRepoCommands, PlanExistsError, renderPlanTemplate, validatePlanText, formatProblem } = await import('../../authoring/index.js');
    const cwd = resolve(flags.cwd);
    const file = resolve(cwd, flags.out);
    if (existsSync(file) && !flags.force) throw new PlanExistsError({ file: flags.out });
    const commands = detectRepoCommands(cwd);
    // The repository's packages (or src/ folders), dealt to the streams so that what each owns is disjoint.
    const areas = dealAreas(detectAreas(cwd), flags.streams);
    const text = renderPlanTemplate({
      template: flags.template as 'seed' | 'builders' | 'review',
      streams: flags.streams,
      name: basename(cwd).replace(/[^A-Za-z0-9._-]+/g, '-') || 'plan',
      commands,
      ...(areas ? { areas } : {}),
    });
    // Checked before writing: a template this godmode cannot run is a bug, not the user's problem.
    const { problems } = await validatePlanText(text, flags.out, { planDir: cwd });
    await writeFile(file, text, { flag: flags.force ? 'w' : 'wx' });
    const detected = Object.fromEntries((['setup', 'test', 'lint', 'typecheck'] as const).map((slot) => [slot, commands[slot] ?? null]));
    if (this.jsonMode) {
      writeStdout(JSON.stringify({ file, template: flags.template, streams: flags.streams, toolchains: commands.toolchains, commands: detected, problems }) + '\n');
      return;
    }
    this.print(`Wrote ${flags.out} (template ${flags.template}, ${flags.streams} stream${flags.streams === 1 ? '' : 's'}).`);
    for (const [slot, found] of Object.entries(detected)) {
      this.print(`  ${slot.padEnd(9)} ${found ? `${found.command}   (from ${found.source})` : 'not detected: a commented placeholder in the plan'}`);
    }
    for (const problem of problems) this.note(`warning: ${formatProblem(problem)}`);
    this.print('');
    this.print('Next: replace the TODOs (what each builder builds and owns), then');
    this.print(`  godmode orchestra validate ${flags.out} --dry-run`);
    this.print(`  godmode orchestra run ${flags.out}`);
  }
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { GodmodeError, terminalText } from '@godmode/protocol';
import { resolveRun, runsRoot } from '@godmode/run-store';
import { applyBranch } from '@godmode/worktrees';
import { GodmodeCommand } from '../../base-command.js';

/** What `orchestra run` recorded about the run's repository (`repository.json`, written with plan.json). */
export async function recordedRepositoryOf(runDir: string): Promise<{ repo: string; base: string; integration: string; integrationTree: string }> {
  try {
    return JSON.parse(await readFile(path.join(runDir, 'repository.json'), 'utf8'));
  } catch {
    throw new GodmodeError({
      code: 'RUN_NOT_ON_REPO',
      audience: 'user',
      message: `Run ${path.basename(runDir)} did not work on a git repository (it ran in plain folders): there is no integration branch.`,
      hint: `Its merged files are in ${path.join(runDir, 'merged')}.`,
    });
  }
}

export class OrchestraApply extends GodmodeCommand {
  static override summary = "Bring a run's integration branch into your current branch: fast-forward or a clean merge, only on a clean checkout.";
  static override description =
    'Reads the run\'s integration branch (godmode/<run-id>/integration) and brings it into the branch you have checked out in the run\'s repository: by fast-forward when it can, else by a merge that git proves clean first. With uncommitted changes, a detached HEAD or a merge that would conflict, it says what to do and changes nothing.';
  static override examples = [
    { description: 'The latest run', command: '<%= config.bin %> orchestra apply' },
    { description: 'What would happen, changing nothing', command: '<%= config.bin %> orchestra apply 20261124-101500-demo-ab12 --dry-run' },
  ];
  static override args = { run: Args.string({ description: 'Run id or run directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Where to look for .godmode/ (upwards from here).', default: process.cwd() }),
    'dry-run': Flags.boolean({ description: 'Say what would happen; change nothing.', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraApply);
    const dir = await resolveRun(runsRoot(flags.cwd), args.run);
    const recorded = await recordedRepositoryOf(dir);
    const result = await applyBranch({ checkout: recorded.repo, branch: recorded.integration, dryRun: flags['dry-run'] });
    this.emit({ type: 'applied', runDir: dir, repo: recorded.repo, branch: recorded.integration, dryRun: flags['dry-run'], ...result });
    const t = (s: string) => terminalText(s);
    const verb = flags['dry-run'] ? 'would' : 'did';
    if (result.how === 'up-to-date') this.print(`${t(result.into)} already has everything on ${t(recorded.integration)}; nothing to apply.`);
    else this.print(`${verb === 'would' ? 'Would bring' : 'Brought'} ${t(recorded.integration)} into ${t(result.into)} by ${result.how === 'fast-forward' ? 'fast-forward' : 'a clean merge'} (${result.before.slice(0, 12)} → ${flags['dry-run'] && result.how === 'merge' ? 'a merge commit' : result.after.slice(0, 12)}) in ${t(recorded.repo)}.`);
  }
}

import { Args, Flags } from '@oclif/core';
import { GodmodeError, terminalText } from '@godmode/protocol';
import { listRuns, openRun, resolveRun, runsRoot } from '@godmode/run-store';
import { cleanWorktrees, runNames } from '@godmode/worktrees';
import { GodmodeCommand } from '../../base-command.js';
import { recordedRepositoryOf } from './apply.js';

export class OrchestraClean extends GodmodeCommand {
  static override summary = "Remove a finished run's worktrees; keep every branch (or, with --delete-branches, delete only merged ones).";
  static override description =
    "Removes the run's stream worktrees and its integration worktree with `git worktree remove`, then `git worktree prune`. Branches stay, so nothing of the run's work is lost. A worktree with changes that are in no commit on its branch is refused, by name, and then nothing is removed. --delete-branches deletes the run's stream branches that are fully merged into its integration branch, and only those.";
  static override examples = [
    { description: 'The latest run', command: '<%= config.bin %> orchestra clean' },
    { description: 'Also delete stream branches already merged', command: '<%= config.bin %> orchestra clean 20261124-101500-demo-ab12 --delete-branches' },
  ];
  static override args = { run: Args.string({ description: 'Run id or run directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Where to look for .godmode/ (upwards from here).', default: process.cwd() }),
    'delete-branches': Flags.boolean({ description: 'Delete stream branches fully merged into the integration branch.', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraClean);
    const root = runsRoot(flags.cwd);
    const dir = await resolveRun(root, args.run);
    const summary = (await listRuns(root)).find((r) => r.dir === dir);
    if (summary?.state === 'running') {
      throw new GodmodeError({ code: 'LEASE_HELD', audience: 'user', message: `Run ${summary.id} is still being conducted (${summary.holder ?? 'a live lease'}); its worktrees are in use.`, hint: 'Wait for it to finish, or stop it with `godmode orchestra stop`.' });
    }
    const recorded = await recordedRepositoryOf(dir);
    const store = await openRun(dir);
    try {
      const { plan } = await store.readPlan();
      const streams = plan.phases.flatMap((p) => p.streams.map((s) => s.id));
      const names = runNames(store.id);
      const result = await cleanWorktrees({
        repo: { top: recorded.repo },
        worktrees: [...streams.map((s) => ({ path: store.layout.workDir(s), snapshots: `${names.snapshotPrefix}${s}/` })), { path: recorded.integrationTree }],
        ...(flags['delete-branches'] ? { deleteBranches: { branches: streams.map((s) => names.stream(s)), mergedInto: recorded.integration } } : {}),
      });
      this.emit({ type: 'cleaned', runDir: dir, ...result });
      const t = (s: string) => terminalText(s);
      this.print(`Removed ${result.removed.length} worktree${result.removed.length === 1 ? '' : 's'} of run ${t(store.id)}; branches kept${flags['delete-branches'] ? ` except ${result.deletedBranches.length} fully merged into ${t(recorded.integration)}` : ''}.`);
      for (const b of result.deletedBranches) this.print(`  deleted ${t(b)}`);
      for (const b of result.keptBranches) this.print(`  kept ${t(b)} (not fully merged)`);
    } finally {
      await store.close();
    }
  }
}

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GodmodeError, journalKinds, type JournalEntry, type Plan } from '@godmode/protocol';
import type { RunStore } from '@godmode/run-store';
import { findRepository, openRepository, readCheckout, refsUnder, RepositoryError, resolveBase, runNames } from '@godmode/worktrees';

/** The repository of a run, recorded before anything else; a takeover uses these values, never today's HEAD. */
export interface RunRepository {
  /** Absolute path of the repository's top. */
  repo: string;
  /** The run's base commit (HEAD at start, or `--base`). */
  base: string;
  /** `godmode/<run-id>/integration`. */
  integration: string;
  /** Where the integration branch is checked out: `<run>/integration`. */
  integrationTree: string;
  /** Said once at start: that uncommitted changes are not part of the run, when there are any. */
  message: string;
}

/** Written with plan.json, so a conductor that dies before its first entry still finds the recorded base. */
export const repositoryFile = 'repository.json';

/**
 * Which repository a plan runs on, before the run exists, so that bad input is refused with nothing changed:
 * the plan's `repo:` (relative to the plan file; `false` for plain folders), else the repository the run is
 * started in (`cwd`), else none — plain folders, as before. A plan file that merely sits in a repository
 * (an example shipped in a clone, say) does not make that repository the run's.
 */
export async function resolveRunRepository(input: { plan: Plan; planDir: string; cwd: string; base?: string | undefined; runId: string; runDir: string }): Promise<RunRepository | null> {
  const { plan } = input;
  let repo = null;
  if (plan.repo === false) repo = null;
  else if (typeof plan.repo === 'string') repo = await openRepository(path.resolve(input.planDir, plan.repo), `The plan's repo: ${plan.repo} (${path.resolve(input.planDir, plan.repo)})`);
  else repo = await findRepository(input.cwd);
  if (!repo) {
    if (input.base) {
      throw new GodmodeError({
        code: 'BASE_WITHOUT_REPO',
        audience: 'user',
        message: `--base ${input.base} was given, but the run is not on a git repository (${plan.repo === false ? 'the plan says repo: false' : `${input.cwd} is in none`}).`,
        hint: 'Run from inside the repository, or name it in the plan with `repo: <path>`.',
      });
    }
    return null;
  }
  const base = await resolveBase(repo, input.base ?? null);
  const names = runNames(input.runId);
  const taken = await refsUnder(repo, names.branchPrefix);
  if (taken.length > 0) {
    throw new RepositoryError({
      problem: 'branch-exists',
      where: taken[0] as string,
      message: `${repo.top} already has ${taken.map((r) => r.slice('refs/heads/'.length)).join(', ')}, left by an earlier run with the id ${input.runId}.`,
      hint: `Delete them (git branch -D …) or clean that run with \`godmode orchestra clean ${input.runId} --delete-branches\`, then start again.`,
    });
  }
  const checkout = await readCheckout(repo);
  const pending = checkout.changed.length + checkout.untracked.length;
  const message =
    `On ${repo.top} from ${base.slice(0, 12)}${checkout.branch ? ` (${checkout.branch})` : ''}; results land on ${names.integration}.` +
    (pending > 0 ? ` Your ${pending} uncommitted change${pending === 1 ? '' : 's'} (${checkout.changed.length} modified, ${checkout.untracked.length} untracked) are not part of the run: worktrees start from commits.` : '');
  return { repo: repo.top, base, integration: names.integration, integrationTree: path.join(input.runDir, 'integration'), message };
}

/** The recorded repository of a run: its `run.repository` entry, else the file written at creation, else none. */
export async function recordedRepository(store: RunStore, entries: JournalEntry[]): Promise<RunRepository | null> {
  const entry = entries.find((e) => e.kind === journalKinds.runRepository);
  if (entry) return entry.payload as RunRepository;
  try {
    return JSON.parse(await readFile(path.join(store.dir, repositoryFile), 'utf8')) as RunRepository;
  } catch {
    return null;
  }
}

/**
 * `.godmode/` with a `.gitignore` of `*` when it is first made, so `git add -A` never picks up runs, logs or
 * canary files. `runsRoot` is `<project>/.godmode/runs`.
 */
export async function ensureGodmodeDir(runsRoot: string): Promise<void> {
  const dir = path.dirname(runsRoot);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), '*\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

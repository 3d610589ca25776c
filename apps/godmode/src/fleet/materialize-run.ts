import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GodmodeError, journalKinds, planSchema, type JournalEntry, type Plan, type Verdict } from '@godmode/protocol';
import { createRun, openRun, RunExistsError, runsRoot, trustRun, type PublishedRunHeader, type RunStore } from '@godmode/run-store';
import { findRepository, runNames } from '@godmode/worktrees';
import { ensureGodmodeDir, repositoryFile, type RunRepository } from '../conductor/run-repository.js';
import { writeFleetSettings } from './fleet-settings.js';

/**
 * A fleet run's folder rebuilt on this machine from the fleet database and the shared remote, for a takeover
 * by a machine that has only the database URL and its own clone (`orchestra takeover <run> --fleet <db>`):
 *
 * - `plan.json` from the published header, its folder mapped into this clone at the same place;
 * - `journal.jsonl` = the published journal (each entry's own seq, token and payload), the `run.repository`
 *   entry's paths made this clone's (the base and branch names stay: they are the run's);
 * - `fleet.json` = the URL given here and the remote/settings the header names;
 * - every stream's latest verdict as `verdict.json`;
 * - `refs/godmode/<run>/…` of the remote (bases, agents' snapshots, the integration head the conductor pushed
 *   before each `merge.kept`) fetched under `refs/godmode-fleet/…`, so every commit the journal cites is here.
 *
 * The database is trusted as the fleet's agents trust it (they run what it queues), so the rebuilt run is
 * recorded as this machine's. The user's checkout is not touched: only godmode's refs and `.godmode/`.
 */
export async function materializeFleetRun(input: { db: string; run: string; cwd: string }): Promise<RunStore> {
  const [{ connectDatabase, describeDatabase, fetchRunRefs }, { readPublishedJournal }] = await Promise.all([import('@godmode/fleet'), import('@godmode/run-store')]);
  const runId = input.run.replace(/\/+$/, '').split('/').at(-1) ?? input.run;
  const repo = await findRepository(input.cwd);
  if (!repo) {
    throw new GodmodeError({
      code: 'FLEET_NEEDS_REPOSITORY',
      audience: 'user',
      message: `${input.cwd} is not in a git repository: taking fleet run ${runId} over needs a clone of the run's shared remote to merge in.`,
      hint: 'Clone the shared remote and run the takeover there (or pass --cwd <clone>).',
    });
  }
  const database = describeDatabase(input.db);
  const pool = await connectDatabase(input.db, { max: 1, applicationName: 'godmode takeover' });
  let published: Awaited<ReturnType<typeof readPublishedJournal>>;
  try {
    const { rows } = (await pool.query(`select to_regclass('godmode.journal') is not null as present`)) as { rows: Array<{ present: boolean }> };
    published = rows[0]?.present ? await readPublishedJournal(pool, runId) : null;
  } finally {
    await pool.end().catch(() => undefined);
  }
  if (published === null) {
    throw new GodmodeError({
      code: 'RUN_NOT_FOUND',
      audience: 'user',
      message: `${database} has no fleet run "${runId}": there is nothing to take over.`,
      hint: 'List the runs it holds with `godmode orchestra ls --fleet <db-url>`.',
    });
  }
  const { header, entries } = published;
  const plan = planSchema.parse(header.plan);
  // The journal's record, else the header's (a conductor that died before its first entry was published).
  const recorded = (entries.find((e) => e.kind === journalKinds.runRepository)?.payload as RunRepository | undefined) ?? header.repository;
  const remote = header.fleet?.remote ?? latestRemote(entries);
  if (!remote) {
    throw new GodmodeError({
      code: 'FLEET_NO_REMOTE',
      audience: 'user',
      message: `fleet run ${runId} in ${database} names no shared remote (it published no fleet settings and queued no attempt).`,
      hint: 'Nothing of it reached the fleet yet: start the plan again with `godmode orchestra run <plan> --fleet <db-url>`.',
    });
  }
  // Everything the journal cites, before the folder exists: a remote that cannot be read changes nothing here.
  await fetchRunRefs(repo.top, remote, runId);
  const root = runsRoot(input.cwd);
  await ensureGodmodeDir(root);
  const planDir = recorded && isInside(recorded.repo, header.planDir) ? path.join(repo.top, path.relative(recorded.repo, header.planDir)) : repo.top;
  // Written beside the runs and moved into place whole: a takeover that fails half-way leaves no half-run folder
  // that a later one would take for this run's.
  const staging = path.join(path.dirname(root), `takeover-${runId}-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    const staged = await writeRunFolder({ staging, runId, plan, planDir, entries, header, db: input.db, remote, repoTop: repo.top, finalDir: path.join(root, runId), recorded });
    await mkdir(root, { recursive: true });
    await rename(staged, path.join(root, runId)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST' || error.code === 'ENOTEMPTY') throw new RunExistsError({ runDir: path.join(root, runId) });
      throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const store = await openRun(path.join(root, runId));
  await trustRun(store.dir);
  return store;
}

/** The run folder, written under `staging` with this machine's final paths in it (`finalDir`); returns its path. */
async function writeRunFolder(input: {
  staging: string;
  runId: string;
  plan: Plan;
  planDir: string;
  entries: JournalEntry[];
  header: PublishedRunHeader;
  db: string;
  remote: string;
  repoTop: string;
  finalDir: string;
  recorded: { base: string } | undefined;
}): Promise<string> {
  const { runId, entries, header, recorded } = input;
  const store = await createRun({ root: input.staging, plan: input.plan, planDir: input.planDir, runId });
  const repository: RunRepository | null = recorded
    ? { repo: input.repoTop, base: recorded.base, integration: runNames(runId).integration, integrationTree: path.join(input.finalDir, 'integration'), message: `Taken over from the fleet database on ${input.repoTop}; results land on ${runNames(runId).integration}.` }
    : null;
  // Machine-local paths are this clone's; the base and the branch names are the run's.
  const lines = entries.map((e) => JSON.stringify(e.kind === journalKinds.runRepository && repository ? { ...e, payload: repository } : e) + '\n');
  await writeFile(store.layout.journalFile, lines.join(''));
  if (repository) await store.writeJson(repositoryFile, repository);
  await writeFleetSettings(store, {
    db: input.db,
    remote: input.remote,
    snapshotEveryMs: header.fleet?.snapshotEveryMs ?? 30_000,
    heartbeatSeconds: header.fleet?.heartbeatSeconds ?? 30,
  });
  for (const [stream, verdict] of latestVerdicts(entries)) {
    await mkdir(store.layout.streamDir(stream), { recursive: true });
    await store.writeVerdict(stream, verdict).catch(() => undefined);
  }
  await store.close();
  return store.dir;
}

function latestRemote(entries: JournalEntry[]): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const p = entries[i]!.payload as { remote?: unknown };
    if (entries[i]!.kind === 'fleet.attempt-queued' && typeof p?.remote === 'string') return p.remote;
  }
  return null;
}

function latestVerdicts(entries: JournalEntry[]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  for (const e of entries) if (e.kind === journalKinds.streamReconciled) verdicts.set((e.payload as Verdict).stream, e.payload as Verdict);
  return verdicts;
}

function isInside(top: string, dir: string): boolean {
  const rel = path.relative(top, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

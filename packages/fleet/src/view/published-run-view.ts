import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GodmodeError, journalKinds, planSchema, planStreams, type JournalEntry, type Plan, type Stream, type Verdict } from '@godmode/protocol';
import { reconcile } from '@godmode/reconciler';
import { createRun, readPublishedJournal, type PublishedRunHeader, type RunStore } from '@godmode/run-store';
import { git, gitOk } from '@godmode/worktrees';
import { fetchRunRefs } from '../git/run-refs.js';
import { attemptQueue, attemptResultSchema } from '../queue/attempt-job.js';
import { connectDatabase, describeDatabase } from '../store/connect.js';

/**
 * A fleet run as the database and the shared remote have it, laid out in a temporary folder for read-only
 * commands on a machine that has no run folder (`orchestra reconcile|score <run> --fleet <db>`): a run folder
 * (plan, the published journal, each stream's latest verdict) and a bare repository holding the run's refs of the
 * remote (bases, the agents' snapshots, the integration head). Nothing is written to the database or the remote;
 * `close()` removes the folder.
 */
export interface PublishedRunView {
  runId: string;
  database: string;
  header: PublishedRunHeader;
  plan: Plan;
  entries: JournalEntry[];
  /** The temporary run folder (plan.json, journal.jsonl, streams/<id>/verdict.json). */
  store: RunStore;
  /** The bare repository the remote's refs of the run were fetched into. */
  repo: string;
  remote: string;
  /** The integration head on the remote (the last kept merge), or null when nothing was merged. */
  integration: string | null;
  /** pg-boss's output of each settled attempt job (what the agent relayed: its claim, its verdict), by job id. */
  outputs: Map<string, unknown>;
  close(): Promise<void>;
}

export async function openPublishedRunView(input: { db: string; run: string | undefined }): Promise<PublishedRunView> {
  const database = describeDatabase(input.db);
  const pool = await connectDatabase(input.db, { max: 1, applicationName: 'godmode fleet view' });
  let runId = input.run?.replace(/\/+$/, '').split('/').at(-1);
  let published: Awaited<ReturnType<typeof readPublishedJournal>> = null;
  let jobs = new Map<string, unknown>();
  try {
    const { rows } = (await pool.query(`select to_regclass('godmode.journal') is not null as present`)) as { rows: Array<{ present: boolean }> };
    if (!rows[0]?.present) {
      throw new GodmodeError({ code: 'FLEET_NO_SCHEMA', audience: 'user', message: `${database} has no godmode fleet schema: no fleet run was ever conducted there.`, hint: 'Check the URL: it is the one given to `orchestra run --fleet`.' });
    }
    if (!runId) {
      const { listPublishedRuns } = await import('@godmode/run-store');
      runId = (await listPublishedRuns(pool)).at(-1)?.runId;
      if (!runId) throw new GodmodeError({ code: 'RUN_NOT_FOUND', audience: 'user', message: `${database} holds no fleet run yet.`, hint: 'Start one with `godmode orchestra run <plan> --fleet <db-url>`.' });
    }
    published = await readPublishedJournal(pool, runId);
    if (published !== null) jobs = await settledOutputs(pool, published.entries);
  } finally {
    await pool.end().catch(() => undefined);
  }
  if (published === null) {
    throw new GodmodeError({ code: 'RUN_NOT_FOUND', audience: 'user', message: `${database} has no fleet run "${runId}".`, hint: 'List the runs it holds with `godmode orchestra ls --fleet <db-url>`.' });
  }
  const { header, entries } = published;
  const plan = planSchema.parse(header.plan) as Plan;
  const remote = header.fleet?.remote ?? latestQueuedRemote(entries);
  if (!remote) {
    throw new GodmodeError({ code: 'FLEET_NO_REMOTE', audience: 'user', message: `fleet run ${runId} in ${database} names no shared remote: none of its work reached the fleet.`, hint: 'Read it with `godmode orchestra status <run> --fleet <db-url>`.' });
  }
  const root = await mkdtemp(path.join(tmpdir(), 'godmode-fleet-view-'));
  try {
    const repo = path.join(root, 'repo.git');
    await gitOk(root, ['init', '--quiet', '--bare', repo]);
    const { integration } = await fetchRunRefs(repo, remote, runId);
    const store = await createRun({ root: path.join(root, 'runs'), plan, planDir: root, runId });
    await writeFile(store.layout.journalFile, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    for (const e of entries) {
      if (e.kind === journalKinds.streamReconciled) await store.writeVerdict((e.payload as Verdict).stream, e.payload as Verdict).catch(() => undefined);
    }
    return {
      runId,
      database,
      header,
      plan,
      entries,
      store,
      repo,
      remote,
      integration,
      outputs: jobs,
      close: async () => {
        await store.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** The pg-boss outputs of the attempts the journal says were settled (the agents' relayed claims), by job id. */
async function settledOutputs(pool: { query(text: string, values?: unknown[]): Promise<unknown> }, entries: JournalEntry[]): Promise<Map<string, unknown>> {
  const ids = entries.filter((e) => e.kind === 'fleet.attempt-settled').map((e) => (e.payload as { job?: unknown }).job).filter((id): id is string => typeof id === 'string');
  if (ids.length === 0) return new Map();
  const present = (await pool.query(`select to_regclass('pgboss.job') is not null as present`)) as { rows: Array<{ present: boolean }> };
  if (!present.rows[0]?.present) return new Map();
  const { rows } = (await pool.query(`select id::text as id, output from pgboss.job where name = $1 and id = any($2::uuid[])`, [attemptQueue, ids])) as { rows: Array<{ id: string; output: unknown }> };
  return new Map(rows.map((r) => [r.id, r.output]));
}

/** What one stream's evidence is in a published run: the commit last pushed and settled, its base, the claim relayed. */
export interface PublishedEvidence {
  stream: Stream;
  attempt: number;
  /** The commit to judge: the last settled attempt's pushed commit, else the conductor's last verdict's; null: none. */
  commit: string | null;
  base: string | null;
  claimText: string | null;
}

export function publishedEvidence(view: PublishedRunView): PublishedEvidence[] {
  const runBase = (view.entries.find((e) => e.kind === journalKinds.runRepository)?.payload as { base?: string } | undefined)?.base ?? view.header.repository?.base ?? null;
  return planStreams(view.plan).map(({ stream }) => {
    let attempt = 0;
    let commit: string | null = null;
    let base: string | null = runBase;
    let claimText: string | null = null;
    for (const e of view.entries) {
      const p = e.payload as { stream?: string; attempt?: number; commit?: string | null; base?: string; job?: string; snapshot?: { commit?: string } };
      if (p?.stream !== stream.id) continue;
      if (e.kind === journalKinds.streamWorktree && p.base) base = p.base;
      if (e.kind === journalKinds.streamReconciled && p.snapshot?.commit) commit = p.snapshot.commit;
      if (e.kind === 'fleet.attempt-settled') {
        attempt = p.attempt ?? attempt;
        commit = p.commit ?? commit;
        const output = attemptResultSchema.safeParse(view.outputs.get(p.job ?? ''));
        claimText = output.success ? output.data.claimText : null;
      }
    }
    return { stream, attempt, commit, base, claimText };
  });
}

/**
 * The disk's verdict on each stream of a published run (or one): its evidence commit checked out from the
 * remote's refs into the view's own folder, the relayed claim beside it, reconciled against its base exactly as
 * the conductor's re-judgement does. Nothing is journaled anywhere.
 */
export async function rejudgePublishedRun(view: PublishedRunView, options: { stream?: string; runCheck?: boolean } = {}): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const evidence of publishedEvidence(view)) {
    if (options.stream && evidence.stream.id !== options.stream) continue;
    const workTree = view.store.layout.workDir(evidence.stream.id);
    const claimFile = view.store.layout.resultFile(evidence.stream.id);
    await mkdir(path.dirname(claimFile), { recursive: true });
    if (evidence.claimText !== null) await writeFile(claimFile, evidence.claimText);
    const tree = evidence.commit ?? evidence.base;
    if (tree !== null && (await git(view.repo, ['cat-file', '-e', `${tree}^{commit}`])).code === 0) {
      await rm(workTree, { recursive: true, force: true });
      await gitOk(view.repo, ['worktree', 'add', '--quiet', '--detach', workTree, tree]);
    }
    const stream = options.runCheck === false ? { ...evidence.stream, check: undefined } : evidence.stream;
    verdicts.push(
      await reconcile({
        stream,
        workTree,
        claim: { path: claimFile },
        attempt: null,
        within: view.store.layout.runDir,
        ...(evidence.base && tree ? { gitBase: evidence.base } : {}),
      }),
    );
  }
  if (options.stream && verdicts.length === 0) {
    throw new GodmodeError({ code: 'STREAM_NOT_FOUND', audience: 'user', message: `run ${view.runId} has no stream "${options.stream}".`, hint: `Its streams: ${planStreams(view.plan).map((s) => s.stream.id).join(', ')}.` });
  }
  return verdicts;
}

/** The run's merged tree as the remote has it (its integration head) checked out in the view; null when nothing was merged. */
export async function checkoutIntegration(view: PublishedRunView): Promise<string | null> {
  if (view.integration === null) return null;
  const tree = path.join(view.store.dir, 'integration');
  await gitOk(view.repo, ['worktree', 'add', '--quiet', '--detach', tree, view.integration]);
  return tree;
}

function latestQueuedRemote(entries: JournalEntry[]): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const p = entries[i]!.payload as { remote?: unknown };
    if (entries[i]!.kind === 'fleet.attempt-queued' && typeof p?.remote === 'string') return p.remote;
  }
  return null;
}

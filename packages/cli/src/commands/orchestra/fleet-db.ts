import { GodmodeError } from '@godmode/protocol';
import type { JournalEntry, Plan } from '@godmode/protocol';
import type { RunState } from '@godmode/run-store';

/**
 * Reads of a fleet run from the fleet's database, for `orchestra status|ls --fleet <db-url>`: what the run's
 * conductor published there (`publishRun`), with no run folder. `@godmode/fleet` (and `pg`) load only here.
 */
async function withDatabase<T>(url: string, read: (pool: import('@godmode/run-store').PgPool, database: string) => Promise<T>): Promise<T> {
  const { connectDatabase, describeDatabase } = await import('@godmode/fleet');
  const database = describeDatabase(url);
  const pool = await connectDatabase(url, { max: 2, applicationName: 'godmode status' });
  try {
    const { rows } = (await pool.query(`select to_regclass('godmode.journal') is not null as present`)) as { rows: Array<{ present: boolean }> };
    if (!rows[0]?.present) {
      throw new GodmodeError({
        code: 'FLEET_NO_SCHEMA',
        audience: 'user',
        message: `${database} has no godmode fleet schema: no fleet run was ever conducted there.`,
        hint: 'Check the URL: it is the one given to `orchestra run --fleet`.',
      });
    }
    return await read(pool, database);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** The run named (by id or folder; the latest published one when none is given), as published in the database. */
async function findPublishedRun(pool: import('@godmode/run-store').PgPool, database: string, run: string | undefined) {
  const { listPublishedRuns, readPublishedRun } = await import('@godmode/run-store');
  let runId = run?.replace(/\/+$/, '').split('/').at(-1);
  if (!runId) {
    runId = (await listPublishedRuns(pool)).at(-1)?.runId;
    if (!runId) throw new GodmodeError({ code: 'RUN_NOT_FOUND', audience: 'user', message: `${database} holds no fleet run yet.`, hint: 'Start one with `godmode orchestra run <plan> --fleet <db-url>`.' });
  }
  const published = await readPublishedRun(pool, runId);
  if (published === null) {
    throw new GodmodeError({
      code: 'RUN_NOT_FOUND',
      audience: 'user',
      message: `${database} has no fleet run "${runId}".`,
      hint: 'List the runs it holds with `godmode orchestra ls --fleet <db-url>`.',
    });
  }
  return { runId, published };
}

/** The run (by id; the latest published one when none is given) replayed from the database. */
export async function readFleetRun(url: string, run: string | undefined): Promise<{ state: RunState; database: string }> {
  return withDatabase(url, async (pool, database) => ({ state: (await findPublishedRun(pool, database, run)).published.state, database }));
}

const endKinds = new Set(['run.finished', 'run.stopped']);

/**
 * `orchestra watch --fleet`: follows the run's published journal from the first entry until the run ends (its end
 * entry is returned) or `signal` aborts (null). `onPlan` gets the run's plan before the first entry.
 */
export async function followFleetRun(
  url: string,
  run: string | undefined,
  signal: AbortSignal,
  onPlan: (plan: Plan, runId: string, database: string) => void,
  onEntry: (entry: JournalEntry) => void,
): Promise<{ runId: string; end: JournalEntry | null }> {
  return withDatabase(url, async (pool, database) => {
    const { followPublishedRun } = await import('@godmode/run-store');
    const { planSchema } = await import('@godmode/protocol');
    const { runId, published } = await findPublishedRun(pool, database, run);
    onPlan(planSchema.parse(published.header.plan) as Plan, runId, database);
    const following = new AbortController();
    const stop = () => following.abort();
    signal.addEventListener('abort', stop, { once: true });
    let end: JournalEntry | null = null;
    try {
      await followPublishedRun(pool, runId, 0, (entry) => {
        if (end !== null) return;
        onEntry(entry);
        if (endKinds.has(entry.kind)) {
          end = entry;
          following.abort();
        }
      }, following.signal);
    } finally {
      signal.removeEventListener('abort', stop);
    }
    return { runId, end };
  });
}

export interface FleetRunSummary {
  id: string;
  state: RunState['status'];
  /** The conductor's host as published. */
  host: string;
  startedAt: string | null;
}

/** Every run published to the database, oldest first. */
export async function listFleetRuns(url: string): Promise<{ runs: FleetRunSummary[]; database: string }> {
  return withDatabase(url, async (pool, database) => {
    const { listPublishedRuns, readPublishedRun } = await import('@godmode/run-store');
    const runs: FleetRunSummary[] = [];
    for (const { runId, publishedAt } of await listPublishedRuns(pool)) {
      const published = await readPublishedRun(pool, runId);
      if (published) runs.push({ id: runId, state: published.state.status, host: published.header.host, startedAt: published.state.startedAt ?? publishedAt });
    }
    return { runs, database };
  });
}

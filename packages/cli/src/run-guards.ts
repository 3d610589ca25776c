import { planStreams, type Plan } from '@godmode/protocol';
import { isFinished, isTrusted, openRun, resolveRun, RunNotFoundError, runsRoot, trustRun, UntrustedRunError } from '@godmode/run-store';

/** The commands of a plan that `score` / `report` run on the merged tree. */
export function planCommands(plan: Plan): string[] {
  return (['test', 'lint', 'typecheck'] as const).filter((k) => plan[k] !== undefined);
}

/** The streams whose `check` command `reconcile` runs. */
export function checkCommands(plan: Plan): string[] {
  return planStreams(plan)
    .filter(({ stream }) => stream.check !== undefined)
    .map(({ stream }) => `check of ${stream.id}`);
}

/**
 * Refuses to run a run folder's commands unless this machine created or conducted the run, or `trust` says
 * a person read its plan; `--trust` is then remembered for the run (see the run store's `trustRun`).
 */
export async function requireTrust(runDir: string, options: { trust: boolean; commands: string[]; skipFlag?: string }): Promise<void> {
  if (options.commands.length === 0) return;
  if (options.trust) return trustRun(runDir);
  if (await isTrusted(runDir)) return;
  const store = await openRun(runDir);
  throw new UntrustedRunError({ runDir: store.dir, planFile: store.layout.planFile, commands: options.commands, ...(options.skipFlag ? { skipFlag: options.skipFlag } : {}) });
}

/** Remembers a run this process created or conducts; a failure to record it costs only a later `--trust`. */
export async function rememberRun(runDir: unknown, note: (text: string) => void): Promise<void> {
  if (typeof runDir !== 'string' || runDir === '') return;
  await trustRun(runDir).catch((error: Error) => note(`warning: could not record ${runDir} as a run of this machine (${error.message}); later commands on it will ask for --trust`));
}

/** Before a takeover: the run's folder and whether it already finished (then it is read-only to takeover). */
export async function takeoverTarget(cwd: string, run: string | undefined): Promise<{ dir: string; id: string; finished: boolean }> {
  const dir = await resolveRun(runsRoot(cwd), run);
  const store = await openRun(dir);
  try {
    return { dir: store.dir, id: store.id, finished: await isFinished(store) };
  } finally {
    await store.close();
  }
}

/**
 * Before `takeover --fleet <db>`: the run's local folder when this machine has one, else the run as the fleet
 * database has it (`dir` null: the takeover rebuilds the folder). A run the database does not hold is the
 * error RUN_NOT_FOUND (exit 2).
 */
export async function fleetTakeoverTarget(cwd: string, run: string | undefined, db: string): Promise<{ dir: string | null; id: string; finished: boolean }> {
  if (run !== undefined) {
    const local = await resolveRun(runsRoot(cwd), run).then(
      () => true,
      (error: unknown) => {
        if (RunNotFoundError.isInstance(error)) return false;
        throw error;
      },
    );
    if (local) return takeoverTarget(cwd, run);
  }
  const { readFleetRun } = await import('./commands/orchestra/fleet-db.js');
  const { state } = await readFleetRun(db, run);
  return { dir: null, id: state.runId, finished: state.status === 'finished' || state.status === 'stopped' };
}

/** The run's validated plan, read from its folder. */
export async function readPlanOf(runDir: string): Promise<Plan> {
  const store = await openRun(runDir);
  try {
    return (await store.readPlan()).plan;
  } finally {
    await store.close();
  }
}

/** What a takeover may run: the streams' workers and checks, and the plan's commands on the merged tree. */
export function takeoverCommands(plan: Plan): string[] {
  return ["the streams' workers", ...checkCommands(plan), ...planCommands(plan)];
}

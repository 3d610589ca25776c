import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GodmodeError } from '@godmode/protocol';
import type { FleetSeam } from './fleet-attempt.js';
import { readFleetSettings, type FleetSettings } from './fleet-settings.js';

const run = promisify(execFile);

/** What `orchestra run --fleet <db> [--fleet-remote <remote>]` asks for. */
export interface FleetRequest {
  db: string;
  remote?: string;
  snapshotEveryMs?: number;
  heartbeatSeconds?: number;
}

/**
 * Checks a fleet request before the run exists (bad input changes nothing): the run must be on a git repository,
 * the shared remote must be named (default: the repository's `origin`), and the database must answer with the
 * fleet's schema. Returns the settings to keep in the run's `fleet.json`.
 */
export async function resolveFleetSettings(request: FleetRequest, repositoryTop: string | null): Promise<FleetSettings> {
  if (repositoryTop === null) {
    throw new GodmodeError({
      code: 'FLEET_NEEDS_REPOSITORY',
      audience: 'user',
      message: 'A fleet run needs the plan to be in a git repository: agents fetch each base from the shared remote and push their work there.',
      hint: 'Run from a clone of the shared repository, or drop --fleet to run on this machine.',
    });
  }
  let remote = request.remote;
  if (!remote) {
    remote = await run('git', ['remote', 'get-url', 'origin'], { cwd: repositoryTop }).then((r) => r.stdout.trim(), () => '');
    if (!remote) {
      throw new GodmodeError({
        code: 'FLEET_NO_REMOTE',
        audience: 'user',
        message: `${repositoryTop} has no \`origin\` remote, and --fleet-remote was not given: the agents need a shared remote.`,
        hint: 'Pass --fleet-remote <path or URL of a repository every agent can fetch from and push to>.',
      });
    }
  }
  // Loaded only for fleet runs.
  const { connectDatabase, checkFleetSchema, describeDatabase } = await import('@godmode/fleet');
  const pool = await connectDatabase(request.db, { max: 1 });
  try {
    await checkFleetSchema(pool, describeDatabase(request.db));
  } finally {
    await pool.end().catch(() => undefined);
  }
  return { db: request.db, remote, snapshotEveryMs: request.snapshotEveryMs ?? 30_000, heartbeatSeconds: request.heartbeatSeconds ?? 30 };
}

/** The fleet of a run that has `fleet.json` (null for a local run), connected; `close()` when the conductor is done. */
export async function openFleet(runDir: string, log: (line: string) => void): Promise<(FleetSeam & { close(): Promise<void> }) | null> {
  const settings = await readFleetSettings(runDir);
  if (settings === null) return null;
  const { FleetAttemptRunner } = await import('@godmode/fleet');
  // The queue and the publisher connect side by side (each its own pool): neither waits for the other.
  const [connected, published] = await Promise.allSettled([FleetAttemptRunner.connect({ db: settings.db, heartbeatSeconds: settings.heartbeatSeconds, log }), publishToFleet(runDir, settings.db, log)]);
  if (connected.status === 'rejected' || published.status === 'rejected') {
    if (connected.status === 'fulfilled') await connected.value.close();
    if (published.status === 'fulfilled') await published.value.stop();
    throw connected.status === 'rejected' ? connected.reason : (published as PromiseRejectedResult).reason;
  }
  const runner = connected.value;
  const publishing = published.value;
  return {
    runner,
    settings,
    close: async () => {
      await Promise.all([publishing.stop(), runner.close()]);
    },
  };
}

/**
 * Publishes the run's journal to the fleet's database while this conductor runs (`publishRun`), so
 * `orchestra status|ls --fleet <db>` read it from any machine. Best effort: a database that fails here costs the
 * published copy, never the run (it is said in the log). Does not wait for another conductor's publisher.
 */
async function publishToFleet(runDir: string, db: string, log: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  const [{ connectDatabase }, { openRun, publishRun }] = await Promise.all([import('@godmode/fleet'), import('@godmode/run-store')]);
  let pool: Awaited<ReturnType<typeof connectDatabase>>;
  try {
    pool = await connectDatabase(db, { max: 2, applicationName: 'godmode publisher' });
  } catch (error) {
    log(`not publishing the run's journal to the fleet database: ${(error as Error).message}`);
    return { stop: async () => undefined };
  }
  const store = await openRun(runDir);
  const controller = new AbortController();
  const started = publishRun(store, pool, { log, signal: controller.signal }).catch((error: unknown) => {
    log(`not publishing the run's journal to the fleet database: ${(error as Error).message}`);
    return null;
  });
  return {
    async stop() {
      controller.abort();
      const publisher = await started;
      await publisher?.stop().catch((error: unknown) => log(`publishing the run's journal stopped: ${(error as Error).message}`));
      await store.close();
      await pool.end().catch(() => undefined);
    },
  };
}

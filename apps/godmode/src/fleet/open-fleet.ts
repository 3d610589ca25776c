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
  const runner = await FleetAttemptRunner.connect({ db: settings.db, heartbeatSeconds: settings.heartbeatSeconds, log });
  return { runner, settings, close: () => runner.close() };
}

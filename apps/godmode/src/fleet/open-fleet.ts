import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { GodmodeError } from '@godmode/protocol';
import type { PgPool } from '@godmode/run-store';
import { registerAuthority } from '../conductor/lease-keeper.js';
import { recordedRepository } from '../conductor/run-repository.js';
import type { FleetSeam } from './fleet-attempt.js';
import { FleetLease } from './fleet-lease.js';
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

/** A fleet conductor's hold on its run: the database lease, and the integration head it last saw on the remote. */
export type OpenFleet = FleetSeam & { lease: FleetLease; close(): Promise<void> };

/**
 * The fleet of a run that has `fleet.json` (null for a local run), connected; `close()` when the conductor is
 * done. First takes the run's lease in the fleet database (waiting up to `waitMs`, or its TTL when a takeover
 * waits at all): that lease, not the run folder's, decides who conducts a fleet run across machines; it is
 * registered for the conductor's lease keeper, and the run's journal is published to the database under its
 * token, so a conductor superseded by another machine's has its next published entry refused and stops.
 */
export async function openFleet(runDir: string, log: (line: string) => void, options: { waitMs?: number; ttlMs?: number; signal?: AbortSignal } = {}): Promise<OpenFleet | null> {
  const settings = await readFleetSettings(runDir);
  if (settings === null) return null;
  const [{ FleetAttemptRunner, connectDatabase }, { publishedRunKey }] = await Promise.all([import('@godmode/fleet'), import('@godmode/run-store')]);
  const runId = basename(runDir);
  // Long enough that a Postgres restart does not cost the run; a taker on another machine waits this long.
  const ttlMs = Math.max(options.ttlMs ?? 0, fleetLeaseMinTtlMs);
  const waitMs = (options.waitMs ?? 0) > 0 ? Math.max(options.waitMs ?? 0, ttlMs + 2_000) : 0;
  const pool = await connectDatabase(settings.db, { max: 3, applicationName: 'godmode conductor lease' });
  let lease: FleetLease;
  try {
    lease = await FleetLease.acquire(pool, publishedRunKey(runId), runId, { ttlMs, waitMs, log, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const unregister = registerAuthority(runDir, lease);
  // The queue and the publisher connect side by side: neither waits for the other.
  const [connected, published] = await Promise.allSettled([
    FleetAttemptRunner.connect({ db: settings.db, heartbeatSeconds: settings.heartbeatSeconds, log }),
    publishToFleet(runDir, pool, settings, lease, log),
  ]);
  if (connected.status === 'rejected' || published.status === 'rejected') {
    if (connected.status === 'fulfilled') await connected.value.close();
    if (published.status === 'fulfilled') await published.value.stop();
    unregister();
    await lease.release();
    await pool.end().catch(() => undefined);
    throw connected.status === 'rejected' ? connected.reason : (published as PromiseRejectedResult).reason;
  }
  const runner = connected.value;
  const publishing = published.value;
  return {
    runner,
    settings,
    lease,
    integration: { onRemote: undefined },
    close: async () => {
      await Promise.all([publishing.stop(), runner.close()]);
      unregister();
      await lease.release();
      await pool.end().catch(() => undefined);
    },
  };
}

/** The shortest TTL of a fleet run's database lease: a Postgres restart shorter than this costs the conductor nothing. */
export const fleetLeaseMinTtlMs = 10_000;

/**
 * Publishes the run's journal to the fleet's database while this conductor runs (`publishRun`) under the
 * conductor's database lease, so `orchestra status|ls|takeover --fleet <db>` read it from any machine. An append
 * refused for a newer token means another conductor took the run: the lease is marked lost.
 */
async function publishToFleet(runDir: string, pool: PgPool, settings: FleetSettings, lease: FleetLease, log: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  const { openRun, publishRun } = await import('@godmode/run-store');
  const store = await openRun(runDir);
  const controller = new AbortController();
  const fleet = { remote: settings.remote, snapshotEveryMs: settings.snapshotEveryMs, heartbeatSeconds: settings.heartbeatSeconds };
  const recorded = await recordedRepository(store, []);
  const started = publishRun(store, pool, {
    log,
    signal: controller.signal,
    fleet,
    ...(recorded ? { repository: { repo: recorded.repo, base: recorded.base } } : {}),
    heldToken: lease.token,
    onRefused: (error) => lease.markLost(`the fleet database refused its journal: ${(error as Error).message}`),
  }).catch((error: unknown) => {
    log(`not publishing the run's journal to the fleet database: ${(error as Error).message}`);
    return null;
  });
  return {
    async stop() {
      controller.abort();
      const publisher = await started;
      await publisher?.stop().catch((error: unknown) => log(`publishing the run's journal stopped: ${(error as Error).message}`));
      await store.close();
    },
  };
}

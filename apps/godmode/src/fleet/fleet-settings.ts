import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunStore } from '@godmode/run-store';

/** `fleet.json` in the run folder: where a fleet run's attempts go. Read by every conductor of the run (daemon, takeover). */
export const fleetFile = 'fleet.json';

export interface FleetSettings {
  /** The fleet's PostgreSQL URL. The file is 0600: it may hold a password. */
  db: string;
  /** The shared git remote agents fetch bases from and push snapshots to. */
  remote: string;
  snapshotEveryMs: number;
  heartbeatSeconds: number;
}

export async function writeFleetSettings(store: RunStore, settings: FleetSettings): Promise<void> {
  await store.writeJson(fleetFile, settings);
  await chmod(join(store.dir, fleetFile), 0o600);
}

export async function readFleetSettings(runDir: string): Promise<FleetSettings | null> {
  try {
    const value = JSON.parse(await readFile(join(runDir, fleetFile), 'utf8')) as Partial<FleetSettings>;
    if (typeof value.db !== 'string' || typeof value.remote !== 'string') return null;
    return { db: value.db, remote: value.remote, snapshotEveryMs: value.snapshotEveryMs ?? 30_000, heartbeatSeconds: value.heartbeatSeconds ?? 30 };
  } catch {
    return null;
  }
}

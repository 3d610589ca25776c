import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunOutcome, RunRequest, Services } from '@godmode/cli';
import { GodmodeError, planStreams, type Plan } from '@godmode/protocol';
import { adapterOptionSchemas } from '@godmode/supervisor';
import { createRun, isTrusted, loadPlanFile, newRunId, openRun, pidAlive, resolveRun, RunNotFoundError, runsRoot, trustRun, UntrustedRunError, type RunStore } from '@godmode/run-store';
import { auditRun } from './conductor/audit.js';
import { Conductor, type ConductorOutcome } from './conductor/conductor.js';
import { followJournal } from './conductor/follow.js';
import { ensureGodmodeDir, repositoryFile, resolveRunRepository } from './conductor/run-repository.js';
import { writeFleetSettings } from './fleet/fleet-settings.js';
import { openFleet, resolveFleetSettings, type FleetRequest } from './fleet/open-fleet.js';

const daemonEntry = fileURLToPath(new URL('./conductor/daemon.js', import.meta.url));
export const demoPlanFile = fileURLToPath(new URL('../demo/plan.yaml', import.meta.url));

function toOutcome(o: ConductorOutcome, detached = false): RunOutcome {
  return {
    runId: o.runId,
    runDir: o.runDir,
    detached,
    shipped: o.shipped,
    streams: o.streams,
    scorecardFile: o.scorecardFile,
    receiptFile: o.receiptFile,
    receiptHtml: o.receiptHtml,
  };
}

/** Starts the conductor of an existing run as a background process that outlives this one. */
export function startDaemon(runDir: string, mode: 'fresh' | 'resume'): number {
  const log = openSync(`${runDir}/conductor.log`, 'a');
  const child = spawn(process.execPath, [daemonEntry, runDir, mode], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  return child.pid as number;
}

/**
 * `--detach` answers once the background conductor holds the run, so a command run right after it (watch,
 * stop, a second conductor) finds a conducted run; a daemon that dies first is an error, with its log.
 */
async function waitForDaemonLease(store: RunStore, pid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lease = await store.lease.read();
    if (lease && lease.pid === pid && !lease.released) return;
    const ended = !pidAlive(pid);
    if (ended || Date.now() > deadline) {
      const log = await readFile(`${store.dir}/conductor.log`, 'utf8').catch(() => '');
      throw new GodmodeError({
        code: 'DAEMON_FAILED',
        audience: 'external',
        message: `The background conductor (pid ${pid}) ${ended ? 'exited' : `did not take run ${store.id} within ${timeoutMs / 1000} s`}.${log.trim() ? `\nIts log ends with:\n${log.trim().split('\n').slice(-5).join('\n')}` : ''}`,
        hint: `Read ${store.dir}/conductor.log, then resume the run with \`godmode orchestra takeover ${store.id}\`.`,
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopRequestedBy(store: RunStore): Promise<string | null> {
  try {
    const request = JSON.parse(await readFile(`${store.dir}/stop-request.json`, 'utf8')) as { by?: string };
    return request.by ?? null;
  } catch {
    return null;
  }
}

export async function conductRun(store: RunStore, mode: 'fresh' | 'resume', request: Pick<RunRequest, 'onEvent' | 'signal'>, waitMs = 0): Promise<ConductorOutcome> {
  const { plan, planDir } = await store.readPlan();
  // A fleet run (fleet.json in the run folder) sends its attempts to the agents; any conductor of it does.
  // Its lease in the fleet database is taken first (waited for as the run folder's is): it decides across machines.
  let fleet = await openFleet(store.dir, (line) => request.onEvent({ type: 'fleet', line }), { waitMs, ttlMs: plan.settings.leaseTtlMs, ...(request.signal ? { signal: request.signal } : {}) });
  try {
    const conductor = new Conductor({
      store,
      plan,
      planDir,
      onEvent: request.onEvent,
      ...(request.signal ? { signal: request.signal } : {}),
      stoppedBy: () => stopRequestedBy(store),
      ...(fleet ? { fleet } : {}),
    });
    const outcome = await conductor.conduct(mode, waitMs);
    if (fleet?.lease.lapsed()) {
      // Another conductor (on any machine) holds the run now, or this one lost the database: it stopped without
      // acting further. Cut off from the database, closing its connections could wait for TCP to give up
      // (minutes): it is given a few seconds, and the process does not wait for sockets on a dead link.
      const lost = fleet;
      fleet = null;
      await closeFleet(lost, 4);
      throw new GodmodeError({
        code: 'LEASE_HELD',
        audience: 'user',
        message: `This conductor lost fleet run ${store.id}: ${lost.lease.reason}. It stopped without acting further; the run goes on with the conductor that holds it.`,
        hint: `Follow it with \`godmode orchestra watch ${store.id} --fleet <db-url>\`.`,
      });
    }
    return outcome;
  } finally {
    if (fleet) await closeFleet(fleet, 1);
  }
}

/**
 * Closes a fleet run's connections, giving them a few seconds: closing a connection to a database cut off by a
 * partition waits for TCP to give up (minutes). Past that the process does not wait for those sockets: it exits
 * with its exit code (`code` when none was set) once nothing else is left to do.
 */
async function closeFleet(fleet: { close(): Promise<void> }, code: number): Promise<void> {
  const closed = await Promise.race([fleet.close().then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000).unref())]);
  if (!closed) setTimeout(() => process.exit(process.exitCode ?? code), 5_000).unref();
}

/** What conducting an existing run may execute: its workers, its streams' checks, the plan's commands on the merged tree. */
function commandsOf(plan: Plan): string[] {
  const checks = planStreams(plan)
    .filter(({ stream }) => stream.check !== undefined)
    .map(({ stream }) => `check of ${stream.id}`);
  return ["the streams' workers", ...checks, ...(['test', 'lint', 'typecheck'] as const).filter((k) => plan[k] !== undefined)];
}

/**
 * The conductor runs a run folder's commands only when this machine created or conducted the run, or the caller
 * says a person trusted it (`trust`, what `--trust` passes; then remembered). A run folder is data — a cloned
 * repository can carry a crafted one — so a library or daemon user gets the CLI's protection here, not only there.
 */
async function requireTrusted(store: RunStore, plan: Plan, trust: boolean | undefined): Promise<void> {
  if (trust) return trustRun(store.dir);
  if (await isTrusted(store.dir)) return;
  throw new UntrustedRunError({ runDir: store.dir, planFile: store.layout.planFile, commands: commandsOf(plan) });
}

/** A run this process created is this machine's: remembered, so a later takeover may run it. A failure costs only a later `trust`. */
async function rememberCreated(store: RunStore, onEvent: RunRequest['onEvent']): Promise<void> {
  await trustRun(store.dir).catch((error: Error) => onEvent({ type: 'warning', message: `could not record ${store.dir} as a run of this machine (${error.message}); later takeovers will ask for --trust` }));
}

type TakeoverRequest = Parameters<Services['takeover']>[0] & { trust?: boolean; fleet?: string };

/**
 * The run folder a takeover conducts: the local one; for `--fleet <db>` on a machine that does not have it, one
 * rebuilt from the fleet database and the shared remote (fleet/materialize-run.ts).
 */
async function takeoverStore(request: TakeoverRequest): Promise<RunStore> {
  if (request.fleet) {
    const local = await resolveRun(runsRoot(request.cwd), request.run).catch((error: unknown) => {
      if (RunNotFoundError.isInstance(error)) return null;
      throw error;
    });
    if (local !== null) return openRun(local);
    const { materializeFleetRun } = await import('./fleet/materialize-run.js');
    return materializeFleetRun({ db: request.fleet, run: request.run, cwd: request.cwd });
  }
  return openRun(await resolveRun(runsRoot(request.cwd), request.run));
}

async function takeover(request: TakeoverRequest) {
  const store = await takeoverStore(request);
  const dir = store.dir;
  try {
    const { plan } = await store.readPlan();
    await requireTrusted(store, plan, request.trust);
    const lease = await store.lease.read();
    const holderAlive = lease && !lease.released && lease.host === hostname() && lease.expiresAt > Date.now() && pidAlive(lease.pid);
    if (holderAlive && lease.pid !== process.pid) {
      // The narrator is alive: a free integrity check instead of a takeover. Nothing is written.
      const audit = await auditRun(store);
      request.onEvent({ type: 'audit', holder: lease.holder, pid: lease.pid, token: lease.token, ...audit });
      // Alive is not the same as conducting: a holder that was stopped (SIGSTOP, a suspended laptop) stops
      // renewing. Watch one lease period; renewed means it conducts, expired means we take over.
      if (await stillRenewed(store, lease, plan.settings.leaseTtlMs)) {
        const shipped = audit.streams.filter((s) => s.disk === 'shipped').length;
        return { runId: store.id, runDir: dir, detached: false, shipped, streams: audit.streams.length, scorecardFile: null, receiptFile: null, receiptHtml: null, audited: true };
      }
      request.onEvent({ type: 'holder-silent', pid: lease.pid, token: lease.token });
    }
    const outcome = await conductRun(store, 'resume', request, plan.settings.leaseTtlMs + 2_000);
    return { ...toOutcome(outcome), audited: false };
  } finally {
    await store.close();
  }
}

/** True when the holder renews its lease within one more TTL; false once the lease runs out unrenewed. */
async function stillRenewed(store: RunStore, seen: { token: number; expiresAt: number }, ttlMs: number): Promise<boolean> {
  const deadline = seen.expiresAt + ttlMs;
  while (Date.now() < deadline) {
    const now = await store.lease.read();
    if (!now || now.released || now.token !== seen.token) return false;
    if (now.expiresAt > seen.expiresAt) return true;
    if (now.expiresAt < Date.now()) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}


async function run(request: RunRequest): Promise<RunOutcome> {
  if (request.resume) {
    const trust = (request as RunRequest & { trust?: boolean }).trust;
    const outcome = await takeover({ run: request.resume, cwd: request.cwd, onEvent: request.onEvent, ...(request.signal ? { signal: request.signal } : {}), ...(trust ? { trust } : {}) });
    return outcome;
  }
  // Built-in adapters and those plugins registered (the CLI ran their godmode:adapters hook before calling here).
  const { plan, dir } = await loadPlanFile(request.planFile as string, { adapters: adapterOptionSchemas() });
  const root = runsRoot(request.cwd);
  const runId = newRunId(plan.name);
  // Everything about the repository is checked before the run exists: bad input changes nothing.
  const repository = await resolveRunRepository({ plan, planDir: dir, cwd: request.cwd, base: (request as RunRequest & { base?: string }).base, runId, runDir: join(root, runId) });
  const fleetRequest = (request as RunRequest & { fleet?: FleetRequest }).fleet;
  const fleetSettings = fleetRequest ? await resolveFleetSettings(fleetRequest, repository?.repo ?? null) : null;
  await ensureGodmodeDir(root);
  const store = await createRun({ root, plan, planDir: dir, runId });
  try {
    await rememberCreated(store, request.onEvent);
    if (repository) {
      await store.writeJson(repositoryFile, repository);
      request.onEvent({ type: 'repository', ...repository });
    }
    if (fleetSettings) await writeFleetSettings(store, fleetSettings);
    if (request.detach) {
      const pid = startDaemon(store.dir, 'fresh');
      await waitForDaemonLease(store, pid);
      request.onEvent({ type: 'daemon', pid, runId: store.id, runDir: store.dir });
      return { runId: store.id, runDir: store.dir, detached: true, shipped: 0, streams: 0, scorecardFile: null, receiptFile: null, receiptHtml: null };
    }
    return toOutcome(await conductRun(store, 'fresh', request));
  } finally {
    await store.close();
  }
}

async function stop(request: { run: string; cwd: string; by: string }) {
  const dir = await resolveRun(runsRoot(request.cwd), request.run);
  const store = await openRun(dir);
  try {
    const lease = await store.lease.read();
    await store.writeJson('stop-request.json', { by: request.by, at: new Date().toISOString() });
    if (lease && !lease.released && lease.host === hostname() && pidAlive(lease.pid)) {
      process.kill(lease.pid, 'SIGTERM');
      const deadline = Date.now() + 120_000;
      for (;;) {
        const now = await store.lease.read();
        if (!now || now.released || now.token !== lease.token || !pidAlive(lease.pid)) break;
        if (Date.now() > deadline) {
          throw new GodmodeError({ code: 'STOP_TIMEOUT', audience: 'external', message: `The conductor (pid ${lease.pid}) did not stop within 120 s.`, hint: `Check ${dir}/conductor.log.` });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      return { runDir: dir, stopped: true, message: `Stopped the conductor (pid ${lease.pid}); its workers were stopped gracefully and reconciled.` };
    }
    // Nobody conducts: take the lease ourselves and stop whatever still runs, reading the disk as we go.
    const controller = new AbortController();
    controller.abort();
    await conductRun(store, 'resume', { onEvent: () => {}, signal: controller.signal }, 10_000);
    return { runDir: dir, stopped: true, message: 'No conductor was running; live workers were stopped and every stream reconciled.' };
  } finally {
    await store.close();
  }
}

async function demo(request: { cwd: string; chaos: boolean; onEvent: RunRequest['onEvent']; signal?: AbortSignal }): Promise<RunOutcome> {
  const loaded = await loadPlanFile(demoPlanFile);
  // The demo runs anywhere, in plain folders, whatever repository it is started in.
  const plan = { ...loaded.plan, repo: false as const };
  const dir = loaded.dir;
  await ensureGodmodeDir(runsRoot(request.cwd));
  const store = await createRun({ root: runsRoot(request.cwd), plan, planDir: dir });
  try {
    await rememberCreated(store, request.onEvent);
    if (!request.chaos) return toOutcome(await conductRun(store, 'fresh', request));
    // Chaos: the narrator runs in the background and dies mid-run; this process takes over.
    const pid = startDaemon(store.dir, 'fresh');
    request.onEvent({ type: 'daemon', pid, runId: store.id, runDir: store.dir });
    const follow = new AbortController();
    const following = followJournal(store, 0, request.onEvent, follow.signal);
    await waitForSpawns(store, 2, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    process.kill(pid, 'SIGKILL');
    request.onEvent({ type: 'chaos', killed: pid, at: new Date().toISOString() });
    follow.abort();
    const lastSeq = await following;
    const outcome = await conductRun(store, 'resume', { ...request, onEvent: (e) => ((e.seq as number) > lastSeq ? request.onEvent(e) : undefined) }, plan.settings.leaseTtlMs + 2_000);
    return toOutcome(outcome);
  } finally {
    await store.close();
  }
}

async function waitForSpawns(store: RunStore, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { entries } = await store.journal.read();
    if (entries.filter((e) => e.kind === 'stream.spawned').length >= n) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function createServices(): Services {
  return { run, takeover, stop, demo };
}

// `godmode orchestra run <plan> --fleet <db-url>` end to end: the real binary as conductor on a user's
// repository, PostgreSQL 15 and pg-boss for real, three `godmode fleet agent` processes with their own clones,
// a bare repository as the shared remote. A rogue takes the first attempt off the queue and completes it with
// a forged "shipped" and no work: the conductor re-judges the tree it cites (missing), retries the stream on the
// fleet, and the run still merges all twelve streams.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { attemptQueue, FleetAttemptRunner, type AttemptResult } from '@godmode/fleet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentProcess } from '../../../packages/fleet/test/support/fleet-env.js';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../packages/fleet/test/support/pg-cluster.js';
import { bin, ensureBuilt, journalOf, ndjson, runDirs } from './helpers.js';
import { checkoutState, fastSettings, fixtureRepository, git, gitEnv, writePlan, writer } from './repo-fixture.js';

if (pgSkipReason) console.warn(`[fleet-run.test] skipped: ${pgSkipReason}`);

let cluster: PgCluster;
const agents: AgentProcess[] = [];
const temp: string[] = [];

function godmode(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...gitEnv, NO_COLOR: '1' }, timeout: 240_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(pgSkipReason !== null)('orchestra run --fleet', () => {
  beforeAll(async () => {
    ensureBuilt();
    cluster = await startPgCluster({ fsync: false });
    await cluster.createDatabase('fleet');
  }, 300_000);
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop('SIGKILL')));
    await cluster?.stop();
    for (const dir of temp) await rm(dir, { recursive: true, force: true });
  });

  it('12 streams over 3 agents: all merged, each verdict citing a commit the remote has; a forged verdict is re-judged from disk', async () => {
    const db = cluster.url('fleet');
    const repo = fixtureRepository();
    const before = checkoutState(repo);
    const remote = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-remote-')), 'remote.git');
    temp.push(repo, path.dirname(remote));
    git(path.dirname(remote), ['clone', '-q', '--bare', repo, remote]);
    const streams = Array.from({ length: 12 }, (_, i) => writer(`s${i + 1}`, { [`src/s${i + 1}.js`]: `export const s${i + 1} = ${i + 1};\n` }));
    // No takeover here: a lease of 15 s (not the fixtures' 3 s) so a conductor starved of CPU beside the other
    // test files does not lose its lease mid-run (it then stops acting by design, and the run ends unjudged).
    const plan = writePlan({ name: 'fleet', settings: { ...fastSettings, maxAttempts: 2, leaseTtlMs: 15_000 }, phases: [{ id: 'build', parallelism: 12, streams }] });

    // The rogue holds the queue alone at first: the first attempt it sees, it completes with a lie.
    const rogue = await FleetAttemptRunner.connect({ db, migrate: true });
    const conductor = godmode(['orchestra', 'run', plan, '--json', '--fleet', db, '--fleet-remote', remote], repo);
    let taken: { id: string; retryCount: number; data: unknown } | null = null;
    for (let i = 0; i < 300 && taken === null; i++) {
      const [job] = await rogue.boss.fetch(attemptQueue, { batchSize: 1 });
      if (job) taken = job;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(taken).not.toBeNull();
    const data = taken!.data as { runId: string; stream: { id: string }; base: string };
    const lie: AttemptResult = {
      attemptId: `${taken!.id}:${taken!.retryCount}`,
      agent: 'rogue',
      host: 'nowhere',
      outcome: 'finished',
      reason: null,
      commit: data.base,
      ref: `refs/godmode/${data.runId}/bases/${data.base}`,
      startedFrom: data.base,
      resumed: false,
      exit: { code: 0, signal: null },
      verdict: {
        stream: data.stream.id,
        status: 'shipped',
        divergence: 'agrees',
        sentence: 'every deliverable is present',
        deliverables: { expected: 1, present: 1 },
        evidence: { deliverables: [{ deliverable: `src/${data.stream.id}.js`, ok: true, files: [], reasons: [] }], check: null, git: null },
        claim: { state: 'read', status: 'success', says: 'success', problem: null },
        attempt: 1,
        reconciledAt: new Date().toISOString(),
      },
      claimText: JSON.stringify({ stream: data.stream.id, status: 'success' }),
      snapshots: 1,
    };
    await rogue.boss.complete(attemptQueue, taken!, lie);
    await rogue.close();

    for (let i = 1; i <= 3; i++) {
      const home = mkdtempSync(path.join(tmpdir(), `godmode-agent-${i}-`));
      temp.push(home);
      agents.push(startAgent({ db, name: `agent-${i}`, home }));
    }
    await Promise.all(agents.map((a) => a.ready));
    const result = await conductor;
    expect(result.code, result.stderr + result.stdout.slice(-3000)).toBe(0);
    const events = ndjson(result.stdout);
    expect(events.at(-1)).toMatchObject({ shipped: 12, streams: 12 });

    const runDir = runDirs(repo)[0]!;
    const journal = journalOf(runDir);
    const settled = journal.filter((e) => e.kind === 'fleet.attempt-settled').map((e) => e.payload);
    // The lie was heard and not believed: the stream it covered was judged missing, then retried and shipped.
    const forged = settled.find((p) => p.agent === 'rogue');
    expect(forged).toMatchObject({ stream: data.stream.id, attempt: 1, reported: 'shipped' });
    const judged = journal.filter((e) => e.kind === 'stream.reconciled' && e.payload.stream === data.stream.id).map((e) => e.payload);
    expect(judged[0]).toMatchObject({ status: 'missing', attempt: 1 });
    expect(judged.at(-1)).toMatchObject({ status: 'shipped', attempt: 2 });
    // Work was spread over the agents.
    expect(new Set(settled.filter((p) => p.agent !== 'rogue').map((p) => p.agent)).size).toBeGreaterThan(1);
    // Every verdict cites the commit it judged, and the remote has each of them.
    for (let i = 1; i <= 12; i++) {
      const verdict = JSON.parse(readFileSync(path.join(runDir, 'streams', `s${i}`, 'verdict.json'), 'utf8')) as { status: string; snapshot: { commit: string } };
      expect(verdict.status).toBe('shipped');
      expect(git(remote, ['cat-file', '-t', verdict.snapshot.commit])).toBe('commit');
    }
    // All twelve merged into the integration branch; the user's checkout untouched.
    const runId = path.basename(runDir);
    const files = git(repo, ['ls-tree', '-r', '--name-only', `godmode/${runId}/integration`]).split('\n');
    for (let i = 1; i <= 12; i++) expect(files).toContain(`src/s${i}.js`);
    expect(checkoutState(repo)).toEqual(before);
  });
});

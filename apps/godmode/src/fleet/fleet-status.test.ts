// `orchestra status|ls|watch|reconcile|score --fleet <db-url>` from another machine: a fleet run through the real binary (PostgreSQL 15,
// pg-boss, one `godmode fleet agent`, a bare remote), then status read from a folder and HOME that have no run
// folder: the same stream states as `orchestra status` on the conductor's machine.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentProcess } from '../../../../packages/fleet/test/support/fleet-env.js';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../../packages/fleet/test/support/pg-cluster.js';
import { bin, ensureBuilt, runDirs } from '../../test/helpers.js';
import { fastSettings, fixtureRepository, git, gitEnv, writePlan, writer } from '../../test/repo-fixture.js';

if (pgSkipReason) console.warn(`[fleet-status.test] skipped: ${pgSkipReason}`);

let cluster: PgCluster;
const agents: AgentProcess[] = [];
const temp: string[] = [];

function godmode(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...gitEnv, NO_COLOR: '1', ...env }, timeout: 180_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const streamsOf = (json: string) =>
  (JSON.parse(json.trim().split('\n').at(-1)!) as { streams: Array<{ stream: string; state: string; verdict: string | null; attempts: number }> }).streams.map((s) => ({
    stream: s.stream,
    state: s.state,
    verdict: s.verdict,
    attempts: s.attempts,
  }));

describe.skipIf(pgSkipReason !== null)('orchestra status|ls --fleet', () => {
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

  it('reads a fleet run from the database alone, from another folder and HOME, with the states the conductor sees', async () => {
    const db = cluster.url('fleet');
    const repo = fixtureRepository();
    const remote = path.join(mkdtempSync(path.join(tmpdir(), 'godmode-remote-')), 'remote.git');
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'godmode-elsewhere-'));
    const agentHome = mkdtempSync(path.join(tmpdir(), 'godmode-agent-'));
    temp.push(repo, path.dirname(remote), elsewhere, agentHome);
    git(path.dirname(remote), ['clone', '-q', '--bare', repo, remote]);
    const plan = writePlan({
      name: 'published',
      settings: { ...fastSettings, maxAttempts: 1 },
      phases: [{ id: 'build', parallelism: 1, streams: [writer('a', { 'src/a.js': 'export const a = 1;\n' }), writer('b', { 'src/b.js': 'export const b = 2;\n' }), { ...writer('c', { 'src/c.js': '' }), worker: { adapter: 'command', options: { command: 'true' } } }] }],
    });
    agents.push(startAgent({ db, name: 'agent-1', home: agentHome, extra: ['--migrate'] }));
    await agents[0]!.ready;

    const run = await godmode(['orchestra', 'run', plan, '--json', '--fleet', db, '--fleet-remote', remote], repo);
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(1);
    const runId = path.basename(runDirs(repo)[0]!);

    const here = await godmode(['orchestra', 'status', runId, '--json'], repo);
    expect(here.code, here.stderr).toBe(0);
    const away = await godmode(['orchestra', 'status', runId, '--json', '--fleet', db], elsewhere, { HOME: elsewhere });
    expect(away.code, away.stderr + away.stdout).toBe(0);
    expect(streamsOf(away.stdout)).toEqual(streamsOf(here.stdout));
    expect(streamsOf(away.stdout).map((s) => s.verdict)).toEqual(['shipped', 'shipped', 'missing']);
    expect(JSON.parse(away.stdout.trim())).toMatchObject({ run: runId, runDir: null, status: JSON.parse(here.stdout.trim()).status });
    // The same from the environment variable, as a table.
    const table = await godmode(['orchestra', 'status', runId], elsewhere, { HOME: elsewhere, GODMODE_FLEET_DB: db });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`run ${runId} .* from 127\\.0\\.0\\.1:${cluster.port}/fleet`));
    expect(table.stdout).not.toContain(cluster.password);

    const ls = await godmode(['orchestra', 'ls', '--json', '--fleet', db], elsewhere, { HOME: elsewhere });
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout.trim()).runs).toEqual([expect.objectContaining({ id: runId, state: JSON.parse(here.stdout.trim()).status })]);

    // reconcile|score --fleet: the disk's verdicts and the scorecard from the database and the remote's pushed
    // commits alone, from the folder with no run folder; read-only (nothing journaled in the database, no folder made).
    const rows = async () => {
      const { connectDatabase } = await import('@godmode/fleet');
      const pool = await connectDatabase(db, { max: 1 });
      try {
        return ((await pool.query(`select count(*)::int as n from godmode.journal where run_id like $1`, [`${runId}%`])) as { rows: Array<{ n: number }> }).rows[0]!.n;
      } finally {
        await pool.end();
      }
    };
    const published = await rows();
    const reconciled = await godmode(['orchestra', 'reconcile', runId, '--json', '--fleet', db], elsewhere, { HOME: elsewhere });
    expect(reconciled.code, reconciled.stderr + reconciled.stdout).toBe(0);
    const verdicts = (JSON.parse(reconciled.stdout.trim()) as { run: string; verdicts: Array<{ stream: string; status: string }> }).verdicts;
    expect(verdicts.map((v) => [v.stream, v.status])).toEqual([['a', 'shipped'], ['b', 'shipped'], ['c', 'missing']]);
    const scored = await godmode(['orchestra', 'score', runId, '--json', '--skip-commands', '--fleet', db], elsewhere, { HOME: elsewhere });
    expect(scored.code, scored.stderr + scored.stdout).toBe(0);
    const card = JSON.parse(scored.stdout.trim()) as { run: string; dimensions: Record<string, { measured: boolean; score: number }> };
    const localCard = JSON.parse(readFileSync(path.join(runDirs(repo)[0]!, 'scorecard.json'), 'utf8')) as typeof card;
    expect(card.run).toBe(runId);
    expect(card.dimensions['completeness']).toEqual(localCard.dimensions['completeness']);
    expect(await rows()).toBe(published);
    expect(readdirSync(elsewhere).filter((f) => f !== '.local' && f !== '.config' && f !== '.cache')).toEqual([]);
    const unknown = await godmode(['orchestra', 'reconcile', 'no-such-run', '--fleet', db], elsewhere, { HOME: elsewhere });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/has no fleet run "no-such-run"/);

    // Bad input: a run the database does not hold, a database that does not answer.
    // watch --fleet replays the finished run from the database and ends with its outcome (1: a stream is missing).
    const watched = await godmode(['orchestra', 'watch', runId, '--json', '--fleet', db], elsewhere, { HOME: elsewhere });
    expect(watched.code, watched.stderr).toBe(1);
    const events = watched.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const local = JSON.parse(readFileSync(path.join(runDirs(repo)[0]!, 'journal.jsonl'), 'utf8').trim().split('\n').at(-1)!) as { kind: string };
    expect(events.filter((e) => e.type === 'journal').at(-1)?.kind).toBe(local.kind);
    expect(events.at(-1)).toMatchObject({ type: 'outcome', runId, runDir: null, interrupted: false, shipped: 2, streams: 3 });
    const missing = await godmode(['orchestra', 'status', 'no-such-run', '--fleet', db], elsewhere, { HOME: elsewhere });
    expect(missing.code).toBe(2);
    expect(missing.stderr + missing.stdout).toMatch(/has no fleet run "no-such-run"/);
    const down = await godmode(['orchestra', 'status', runId, '--fleet', `postgres://nobody:pw@127.0.0.1:1/fleet`], elsewhere, { HOME: elsewhere });
    expect(down.code).toBe(3);
    expect(down.stderr + down.stdout).toMatch(/does not answer/);
    expect(down.stderr + down.stdout).not.toMatch(/\n\s+at /);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoProcessOfRun, godmode, journalOf, killAll, ndjson, processesOfRun } from './helpers.js';
import { checkoutState, fastSettings, fixtureRepository, git, writePlan, writer } from './repo-fixture.js';

const runs: string[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const dir of runs) killAll(processesOfRun(dir));
});

const slow = (id: string, file: string, text: string) => {
  const s = writer(id, { [file]: text }) as { worker: { options: { command: string } } };
  s.worker.options.command = `sleep 1 && ${s.worker.options.command}`;
  return s;
};

/** Two phases with setup, work, a merge queue that runs the test after each merge, and a phase boundary. */
const plan = () =>
  writePlan({
    name: 'takeover',
    settings: { ...fastSettings, leaseTtlMs: 2_000 },
    setup: 'sleep 0.5 && mkdir -p node_modules && echo installed > node_modules/.marker',
    test: 'node --test',
    phases: [
      { id: 'build', parallelism: 3, streams: [slow('alpha', 'src/alpha.js', "export const alpha = 'a';\n"), slow('beta', 'src/beta.js', "export const beta = 'b';\n"), slow('gamma', 'src/gamma.js', "export const gamma = 'g';\n")] },
      { id: 'docs', streams: [slow('docs', 'docs/usage.md', '# Usage\n')] },
    ],
  });

async function waitForEntry(runDir: string, kind: string, nth: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (journalOf(runDir).filter((e) => e.kind === kind).length < nth) {
    if (Date.now() > deadline) throw new Error(`no ${nth}× ${kind} in ${runDir}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the integration branch holds, as a tree id: the same content gives the same id whatever the commits. */
const treeOf = (repo: string, branch: string) => git(repo, ['rev-parse', `${branch}^{tree}`]);

describe('conductor SIGKILLed at moments of a run on a repository, then taken over', () => {
  let reference = '';

  it('an uninterrupted run gives the reference content', async () => {
    const repo = fixtureRepository();
    const r = await godmode(['orchestra', 'run', plan(), '--cwd', repo, '--json'], { cwd: repo });
    expect(r.code).toBe(0);
    const runDir = ndjson(r.stdout).find((e) => e.type === 'outcome')?.runDir as string;
    runs.push(runDir);
    reference = treeOf(repo, journalOf(runDir)[0]!.payload.integration);
  }, 120_000);

  it.each([
    ['during setup', 'stream.setup', 1],
    ['during work', 'stream.spawned', 2],
    ['in the merge queue', 'merge.applied', 2],
    ['between phases', 'phase.finished', 1],
  ] as const)('killed %s: same content, no merge twice, nothing the journal does not name, checkout unchanged', async (_moment, kind, nth) => {
    const repo = fixtureRepository();
    const before = checkoutState(repo);
    const started = await godmode(['orchestra', 'run', plan(), '--cwd', repo, '--detach', '--json'], { cwd: repo });
    expect(started.code).toBe(0);
    const runDir = ndjson(started.stdout).find((e) => e.type === 'detached')?.runDir as string;
    runs.push(runDir);
    await waitForEntry(runDir, kind, nth);
    const { pid } = JSON.parse(readFileSync(path.join(runDir, 'lease.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    expect(checkoutState(repo)).toEqual(before);

    const took = await godmode(['orchestra', 'takeover', path.basename(runDir), '--cwd', repo, '--json'], { cwd: repo });
    expect(took.stderr).toBe('');
    expect(took.code).toBe(0);
    await expectNoProcessOfRun(runDir, 10_000);
    const journal = journalOf(runDir);
    expect(journal.some((e) => e.kind === 'run.finished')).toBe(true);
    const { integration, base, integrationTree } = journal[0]!.payload as { integration: string; base: string; integrationTree: string };
    expect(treeOf(repo, integration)).toBe(reference);
    // No merge applied twice: one merge commit per stream on the integration branch.
    const merges = git(repo, ['log', '--merges', '--format=%s', `${base}..${integration}`]).split('\n').sort();
    expect(merges).toEqual(['alpha', 'beta', 'docs', 'gamma'].map((s) => `godmode: merge stream ${s} (phase ${s === 'docs' ? 'docs' : 'build'})`));
    // Every worktree and branch of the run is named by the journal.
    const namedPaths = new Set([integrationTree, ...journal.filter((e) => e.kind === 'stream.worktree').map((e) => e.payload.path as string)]);
    const namedBranches = new Set([integration, ...journal.filter((e) => e.kind === 'stream.worktree').map((e) => e.payload.branch as string)]);
    const worktrees = git(repo, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9)).filter((p) => p !== repo);
    for (const w of worktrees) expect(namedPaths, w).toContain(w);
    const branches = git(repo, ['for-each-ref', '--format=%(refname:short)', `refs/heads/godmode/`]).split('\n').filter(Boolean);
    for (const b of branches) expect(namedBranches, b).toContain(b);
    expect(checkoutState(repo)).toEqual(before);
  }, 120_000);
});

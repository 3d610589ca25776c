import { expect } from 'vitest';
import { journalOf } from './helpers.js';
import { fastSettings, git, writePlan, writer } from './repo-fixture.js';

export const slow = (id: string, file: string, text: string) => {
  const s = writer(id, { [file]: text }) as { worker: { options: { command: string } } };
  s.worker.options.command = `sleep 1 && ${s.worker.options.command}`;
  return s;
};

/** Two phases with setup, work, a merge queue that runs the test after each merge, and a phase boundary. */
export const takeoverPlan = () =>
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

export async function waitForEntry(runDir: string, kind: string, nth: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (journalOf(runDir).filter((e) => e.kind === kind).length < nth) {
    if (Date.now() > deadline) throw new Error(`no ${nth}× ${kind} in ${runDir}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the integration branch holds, as a tree id: the same content gives the same id whatever the commits. */
export const treeOf = (repo: string, branch: string) => git(repo, ['rev-parse', `${branch}^{tree}`]);


/** What a run taken over after a SIGKILL must show, whatever the moment it was killed at. */
export function expectTakenOverCleanly(repo: string, runDir: string, reference: string): void {
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
  const branches = git(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/godmode/']).split('\n').filter(Boolean);
  for (const b of branches) expect(namedBranches, b).toContain(b);
}

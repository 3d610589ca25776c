import { realpath } from 'node:fs/promises';
import { isGlobDeliverable, type Deliverable, type GitEvidence } from '@godmode/protocol';
import { git } from '../git/git.js';

/** Branches taken as the repository's main line, in order, when no base is recorded. */
export const mainBranches = ['main', 'master', 'trunk'] as const;

export interface GitEvidenceOptions {
  /** A recorded base commit (else the merge-base with the first of `mainBranches`, else the root commit). */
  base?: string | null;
  /**
   * What `uncommittedChanges` counts: changes to the deliverables (their paths and globs as pathspecs, so
   * git looks at nothing else and the cost follows the deliverables, not the tree), or to the whole tree
   * (as `git status` would show them). Default: `deliverables` when there are any, else `tree`.
   */
  scope?: 'deliverables' | 'tree';
  deliverables?: Deliverable[];
}

/**
 * Git evidence for a work tree that is itself the top of a git work tree (a folder that merely sits inside
 * some other repository gets none: that repository's history is not the stream's). Ignored files are
 * never uncommitted changes; untracked ones are.
 */
export async function gitEvidence(realRoot: string, options: GitEvidenceOptions = {}): Promise<GitEvidence | null> {
  const head = await git(realRoot, ['rev-parse', '--show-toplevel', '--symbolic-full-name', 'HEAD']);
  if (head.code !== 0) return unbornOrNone(realRoot, options);
  const [top, ref] = head.stdout.trim().split('\n');
  if (top === undefined || (await realpath(top).catch(() => top)) !== realRoot) return null;
  const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  const [uncommittedChanges, base] = await Promise.all([countChanges(realRoot, options), findBase(realRoot, options.base ?? null)]);
  let commitsSinceBase = 0;
  if (base !== null) {
    const count = await git(realRoot, ['rev-list', '--count', `${base}..HEAD`]);
    if (count.code === 0) commitsSinceBase = Number(count.stdout.trim()) || 0;
  }
  return { branch, base, commitsSinceBase, uncommittedChanges };
}

/** A repository with no commit yet: a branch name, no base, and whatever is there is uncommitted. */
async function unbornOrNone(realRoot: string, options: GitEvidenceOptions): Promise<GitEvidence | null> {
  const top = await git(realRoot, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0 || (await realpath(top.stdout.trim()).catch(() => '')) !== realRoot) return null;
  const branch = await git(realRoot, ['symbolic-ref', '--short', '-q', 'HEAD']);
  return { branch: branch.code === 0 ? branch.stdout.trim() : null, base: null, commitsSinceBase: 0, uncommittedChanges: await countChanges(realRoot, options) };
}

async function countChanges(cwd: string, options: GitEvidenceOptions): Promise<number> {
  const deliverables = options.deliverables ?? [];
  const scope = options.scope ?? (deliverables.length > 0 ? 'deliverables' : 'tree');
  const pathspecs = scope === 'deliverables' ? deliverables.map((d) => (isGlobDeliverable(d) ? `:(glob)${d.glob}` : `:(literal)${d.path}`)) : [];
  const status = await git(cwd, ['status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all', '--', ...pathspecs]);
  return status.code === 0 ? status.stdout.split('\0').filter((e) => e.length > 0).length : 0;
}

async function findBase(cwd: string, recorded: string | null): Promise<string | null> {
  if (recorded) {
    const r = await git(cwd, ['rev-parse', '-q', '--verify', `${recorded}^{commit}`]);
    if (r.code === 0) return r.stdout.trim();
  }
  const refs = await git(cwd, ['for-each-ref', '--format=%(refname)', ...mainBranches.map((b) => `refs/heads/${b}`)]);
  const found = refs.stdout.split('\n').filter(Boolean);
  const main = mainBranches.map((b) => `refs/heads/${b}`).find((r) => found.includes(r));
  if (main) {
    const mb = await git(cwd, ['merge-base', 'HEAD', main]);
    if (mb.code === 0 && mb.stdout.trim()) return mb.stdout.trim();
  }
  const roots = await git(cwd, ['rev-list', '--max-parents=0', 'HEAD']);
  const root = roots.stdout.trim().split('\n').at(-1);
  return roots.code === 0 && root ? root : null;
}

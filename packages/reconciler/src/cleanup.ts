import { createHash } from 'node:crypto';
import { readFile, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { CleanupRefusedError } from './errors/cleanup-refused-error.js';
import { skippedFolders } from './evidence/deliverables.js';
import { git, gitTopLevel } from './git/git.js';
import { snapshotCommit } from './git/snapshot.js';
import { resolveWorkTree } from './evidence/work-tree-root.js';

export interface CleanupInput {
  stream: string;
  workTree: string;
  mode: 'folder' | 'git';
  /** Folder mode: the output tree the stream was merged into. Git mode: the integration repository. */
  outputDir: string;
  /** Git mode: save unmerged work to `refs/godmode/saved/<stream>` in the integration repository, then delete. */
  save?: boolean;
}

export interface CleanupResult {
  removed: boolean;
  /** Git mode: the ref the work was saved to, when `save` did so. */
  savedRef: string | null;
}

/**
 * Deletes a stream's work tree only when nothing in it would be lost:
 * - folder mode: every file (outside node_modules and .git) is in the output tree with the same content;
 * - git mode: the tree's state as on disk (a snapshot commit when something is uncommitted) is reachable
 *   from a branch or a `refs/godmode/*` ref of the integration repository — or `save` put it there.
 * Otherwise throws `CleanupRefusedError` naming what is unsaved. A missing work tree is already clean.
 */
export async function cleanupWorkTree(input: CleanupInput): Promise<CleanupResult> {
  const { root, tampered } = await resolveWorkTree(input.workTree);
  if (tampered !== null) throw new CleanupRefusedError({ workTree: input.workTree, unsaved: [], why: `${tampered}; deleting through it could delete what it points to` });
  if (root === null) return { removed: false, savedRef: null };
  let savedRef: string | null = null;
  if (input.mode === 'folder') {
    const files = await glob('**/*', { cwd: root, dot: true, ignore: skippedFolders.map((f) => `**/${f}/**`), followSymbolicLinks: false });
    const unsaved: string[] = [];
    for (const rel of files.sort()) {
      const [mine, theirs] = await Promise.all([hashOf(path.join(root, rel)), hashOf(path.join(input.outputDir, rel))]);
      if (mine !== theirs) unsaved.push(rel);
    }
    if (unsaved.length > 0) throw new CleanupRefusedError({ workTree: input.workTree, unsaved, why: `${unsaved.length} file(s) are not in the output tree` });
  } else {
    const top = await gitTopLevel(root);
    const snap = top !== null && (await realpath(top)) === root ? await snapshotCommit(root, `godmode: work of stream ${input.stream} saved before cleanup`) : null;
    if (snap === null) throw new CleanupRefusedError({ workTree: input.workTree, unsaved: [], why: 'it is not a git work tree with a commit, so its work cannot be proven saved' });
    const repo = path.resolve(input.outputDir);
    if (!(await reachable(repo, snap.commit))) {
      if (!input.save) {
        const status = await git(root, ['status', '--porcelain', '--untracked-files=all']);
        const unsaved = status.stdout.split('\n').filter(Boolean).map((l) => l.slice(3));
        throw new CleanupRefusedError({
          workTree: input.workTree,
          unsaved,
          why: snap.snapshot ? 'it has uncommitted work that is neither merged nor saved to a ref' : `its commit ${snap.commit.slice(0, 12)} is neither merged nor saved to a ref`,
        });
      }
      savedRef = `refs/godmode/saved/${input.stream}`;
      const fetched = await git(repo, ['fetch', '-q', '--no-tags', root, `+${snap.commit}:${savedRef}`]);
      if (fetched.code !== 0 || !(await reachable(repo, snap.commit))) {
        throw new CleanupRefusedError({ workTree: input.workTree, unsaved: [], why: `saving its work to ${savedRef} failed (${fetched.stderr.trim()})` });
      }
    }
    // A linked worktree of the integration repository is unregistered by git itself.
    const common = await git(root, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
    const own = await git(root, ['rev-parse', '--path-format=absolute', '--git-dir']);
    if (common.code === 0 && own.code === 0 && common.stdout.trim() !== own.stdout.trim()) {
      await git(repo, ['worktree', 'remove', '--force', root]);
    }
  }
  await rm(root, { recursive: true, force: true });
  return { removed: true, savedRef };
}

async function hashOf(file: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return null;
  }
}

/** True when `commit` exists in `repo` and some branch or godmode ref contains it. */
async function reachable(repo: string, commit: string): Promise<boolean> {
  if ((await git(repo, ['cat-file', '-e', `${commit}^{commit}`])).code !== 0) return false;
  const refs = await git(repo, ['for-each-ref', '--contains', commit, '--format=%(refname)', 'refs/heads', 'refs/godmode']);
  return refs.code === 0 && refs.stdout.trim() !== '';
}

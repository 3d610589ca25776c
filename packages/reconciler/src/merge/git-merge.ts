import path from 'node:path';
import { MergeError } from '../errors/merge-error.js';
import { git, gitTopLevel } from '../git/git.js';
import { godmodeIdentity, snapshotCommit } from '../git/snapshot.js';
import type { MergeInput, MergeResult } from './merge-types.js';
import { selectStreams } from './merge-types.js';
import { resolveWorkTree } from '../evidence/work-tree-root.js';

export const defaultIntegrationBranch = 'godmode/integration';

/** The ref a stream's work is fetched into (and kept under) in the integration repository. */
export function streamRef(streamId: string): string {
  return `refs/godmode/streams/${streamId}`;
}

/**
 * Merges each selected stream into the integration branch with real `git merge --no-ff`. A stream's work
 * is its work tree as on disk: uncommitted files are included through a snapshot commit (the worker's
 * own branch is not touched), fetched into `refs/godmode/streams/<id>`. A merge that conflicts is
 * aborted, so the integration branch stays where it was, and reported with the conflicting files named.
 * A work tree that is a symlink or whose real path leaves `within` is never merged (evidence of tampering).
 */
export async function gitMerge(input: MergeInput): Promise<MergeResult> {
  const { take, skipped } = selectStreams(input);
  const repo = path.resolve(input.outputDir);
  const branch = input.integrationBranch ?? defaultIntegrationBranch;
  const top = await gitTopLevel(repo);
  if (top === null) throw new MergeError({ message: `${repo} is not a git repository, so there is no integration branch to merge into.` });
  const dirty = await git(repo, ['status', '--porcelain', '--untracked-files=no']);
  if (dirty.stdout.trim() !== '') {
    throw new MergeError({ message: `The integration repository ${repo} has uncommitted changes; merging into it could lose them.`, hint: 'Commit or stash them, then merge again.' });
  }
  const exists = (await git(repo, ['rev-parse', '-q', '--verify', `refs/heads/${branch}`])).code === 0;
  const switched = await git(repo, exists ? ['switch', '-q', branch] : ['switch', '-q', '-c', branch]);
  if (switched.code !== 0) throw new MergeError({ message: `Cannot switch ${repo} to ${branch}: ${switched.stderr.trim()}` });

  const merged: string[] = [];
  const conflicts: MergeResult['conflicts'] = [];
  for (const { stream, workTree } of take) {
    const { root, tampered } = await resolveWorkTree(workTree, input.within);
    if (root === null) {
      skipped.push({ stream: stream.id, reason: tampered ?? 'its work tree is gone' });
      continue;
    }
    const snap = await snapshotCommit(root, `godmode: work of stream ${stream.id} as found on disk`);
    if (snap === null) {
      skipped.push({ stream: stream.id, reason: 'its work tree is not a git work tree with a commit' });
      continue;
    }
    const ref = streamRef(stream.id);
    const fetched = await git(repo, ['fetch', '-q', '--no-tags', root, `+${snap.commit}:${ref}`]);
    if (fetched.code !== 0) {
      skipped.push({ stream: stream.id, reason: `cannot fetch its work: ${fetched.stderr.trim().split('\n')[0]}` });
      continue;
    }
    const before = (await git(repo, ['rev-parse', 'HEAD'])).stdout.trim();
    const result = await git(repo, ['merge', '--no-ff', '--no-edit', '--allow-unrelated-histories', '-m', `godmode: merge stream ${stream.id}`, ref], godmodeIdentity);
    if (result.code === 0) {
      merged.push(stream.id);
      continue;
    }
    const unmerged = await git(repo, ['diff', '--name-only', '--diff-filter=U', '-z']);
    const files = unmerged.stdout.split('\0').filter(Boolean).sort();
    await git(repo, ['merge', '--abort']);
    const after = (await git(repo, ['rev-parse', 'HEAD'])).stdout.trim();
    if (after !== before) await git(repo, ['reset', '-q', '--hard', before]);
    conflicts.push({ stream: stream.id, files: files.length ? files : [`(merge failed: ${(result.stderr || result.stdout).trim().split('\n')[0]})`] });
  }
  return { merged, skipped, conflicts };
}

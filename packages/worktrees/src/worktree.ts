import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { RepositoryError } from './errors/repository-error.js';
import { git, gitOk } from './git.js';
import { commonDirOf, gitDirOf, isObjectId, readLooseRef } from './git-files.js';
import type { Repository } from './repository.js';

export interface AddWorktreeInput {
  repo: Repository;
  /** Where the worktree goes (absolute). Its parent is created. */
  path: string;
  /** Short branch name, e.g. `godmode/<run-id>/streams/<stream>`. */
  branch: string;
  /** The commit a new branch starts at; an existing branch keeps its own tip. */
  start: string;
}

export interface AddedWorktree {
  path: string;
  branch: string;
  /** The worktree's HEAD once it is there. */
  head: string;
  /** False when the worktree was already there on that branch (a takeover, or attempt n > 1). */
  created: boolean;
}

/**
 * A worktree of `repo` at `path` on `branch`: created with `git worktree add` (the branch cut from `start` when
 * it does not exist yet), or found as it is when `path` already is that worktree — so a conductor that died
 * between the two steps, or a later attempt, simply carries on. An empty folder at `path` is used; a `path`
 * that holds anything else is refused.
 * The user's checkout is not involved: its index, HEAD and files are never read for writing.
 */
export async function addWorktree(input: AddWorktreeInput): Promise<AddedWorktree> {
  const existing = await lstat(input.path).catch(() => null);
  // An empty folder is as good as none (git fills it); anything else there is not ours to overwrite.
  const empty = existing?.isDirectory() === true && (await readdir(input.path)).length === 0;
  if (existing && !empty) {
    const on = existing.isDirectory() ? await worktreeBranch(input.path) : null;
    if (on === input.branch) return { path: input.path, branch: input.branch, head: (await gitOk(input.path, ['rev-parse', 'HEAD'])).trim(), created: false };
    throw new RepositoryError({
      problem: 'worktree-path-exists',
      where: input.path,
      message: `${input.path} already exists${on ? ` as a worktree on ${on}` : ''}, so the worktree of ${input.branch} cannot go there.`,
      hint: 'Move or remove that folder (or `git worktree remove` it), then take the run over again.',
    });
  }
  await mkdir(path.dirname(input.path), { recursive: true });
  // Several streams add their worktrees at once, and git's locks (config, refs, the worktrees folder) are
  // shared: a try can fail after creating the branch, or on a lock another add holds. Each try starts from
  // what is there now (the branch made by a failed try is reused), a few times, before the error is git's.
  // The first try takes the usual case, a branch that does not exist yet, without asking first: `-b` refuses an
  // existing branch before anything is made, and the next try then finds the branch and uses it.
  let args: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const has = attempt === 1 ? false : (await git(input.repo.top, ['rev-parse', '-q', '--verify', `refs/heads/${input.branch}`])).code === 0;
    args = has ? ['worktree', 'add', '--quiet', input.path, input.branch] : ['worktree', 'add', '--quiet', '--no-track', '-b', input.branch, input.path, input.start];
    const r = await git(input.repo.top, args);
    if (r.code === 0) break;
    if ((await worktreeBranch(input.path).catch(() => null)) === input.branch) break;
    if (attempt >= 5) break;
    // The branch is there already (an earlier attempt's, or a failed try's): the next try uses it, at once.
    if (attempt === 1 && /already exists/.test(r.stderr)) continue;
    // A worktree folder deleted by hand is still registered: forget it, then add again.
    if (/already registered|is a missing but/.test(r.stderr)) await git(input.repo.top, ['worktree', 'prune']);
    // What a failed try left in the folder is git's half-made checkout of our branch: start it again.
    if ((await readdir(input.path).catch(() => [])).length > 0 && (await worktreeBranch(input.path).catch(() => null)) === null) await rm(input.path, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.floor(Math.random() * 30)));
  }
  // What is checked out there now, read from the worktree's own files (git has just written them).
  const now = await readWorktreeHead(input.path);
  if (now?.branch !== input.branch) await gitOk(input.repo.top, args);
  const head = now?.branch === input.branch && now.head ? now.head : (await gitOk(input.path, ['rev-parse', 'HEAD'])).trim();
  return { path: input.path, branch: input.branch, head, created: true };
}

/**
 * The branch a worktree folder has checked out and its commit, read from its files without a spawn: `.git`
 * (file or folder) → `HEAD` (`ref: refs/heads/<branch>`) → the branch's loose ref in the common folder. Null
 * when `.git` or `HEAD` is not there; `head` null when the ref is not a loose file (e.g. packed): then ask git.
 */
export async function readWorktreeHead(dir: string): Promise<{ branch: string | null; head: string | null } | null> {
  const gitDir = await gitDirOf(dir);
  const headText = (await readFile(path.join(gitDir, 'HEAD'), 'utf8').catch(() => null))?.trim();
  if (headText === undefined) return null;
  const ref = /^ref: (refs\/heads\/.+)$/.exec(headText)?.[1] ?? null;
  if (ref === null) return { branch: null, head: isObjectId(headText) ? headText : null };
  return { branch: ref.slice('refs/heads/'.length), head: await readLooseRef(await commonDirOf(gitDir), ref) };
}

/** The branch a worktree folder has checked out (short name), or null when it is no worktree top. */
export async function worktreeBranch(dir: string): Promise<string | null> {
  if ((await lstat(path.join(dir, '.git')).catch(() => null)) === null) return null;
  const r = await git(dir, ['symbolic-ref', '--short', '-q', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * Puts a worktree of ours back at `commit`: an unfinished merge aborted, tracked files reset, untracked files
 * removed (ignored ones, such as installed dependencies, stay). Only for worktrees godmode made and no worker
 * is using: the integration tree, or a stream's tree between attempts.
 */
export async function resetWorktree(dir: string, commit: string): Promise<void> {
  if ((await git(dir, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'])).code === 0) await git(dir, ['merge', '--abort']);
  await gitOk(dir, ['reset', '--quiet', '--hard', commit]);
  await gitOk(dir, ['clean', '-q', '-f', '-d']);
}

/** Every worktree of the repository: path, branch (short, null when detached) and HEAD. */
export async function listWorktrees(repo: Repository): Promise<Array<{ path: string; branch: string | null; head: string | null }>> {
  const out = await gitOk(repo.top, ['worktree', 'list', '--porcelain']);
  const list: Array<{ path: string; branch: string | null; head: string | null }> = [];
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n');
    const p = lines.find((l) => l.startsWith('worktree '))?.slice('worktree '.length);
    if (!p) continue;
    const b = lines.find((l) => l.startsWith('branch '))?.slice('branch refs/heads/'.length) ?? null;
    const h = lines.find((l) => l.startsWith('HEAD '))?.slice('HEAD '.length) ?? null;
    list.push({ path: p, branch: b, head: h });
  }
  return list;
}

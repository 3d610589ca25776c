import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { git, gitOk } from '@godmode/worktrees';
import { FleetGitError } from '../errors/fleet-git-error.js';
import { remoteBaseRef, remoteSnapshotRef } from '../queue/attempt-job.js';

/** Git without the user's or the system's settings leaking in is the caller's business; these only name the remote. */

/** Refused by the remote (hook, permissions, protected ref) rather than not reached: the rule, one place. */
export function pushProblem(stderr: string): 'push-refused' | 'remote-unreachable' {
  if (/\[remote rejected\]|\[rejected\]|pre-receive hook declined|permission denied|denied|read-only|insufficient permission/i.test(stderr)) return 'push-refused';
  return 'remote-unreachable';
}

/** The agent's clone: `repo` when given (checked), else one under `home` made from the remote the first time. */
export async function ensureClone(options: { repo: string | null; home: string; remote: string }): Promise<string> {
  if (options.repo !== null) {
    const r = await git(options.repo, ['rev-parse', '--git-dir']);
    if (r.code !== 0) {
      throw new FleetGitError({ problem: 'not-a-clone', message: `${options.repo} is not a git repository (${r.stderr.trim() || `git exited ${r.code}`}).`, hint: 'Pass --repo the path of a clone of the shared remote, or leave --repo out and the agent makes one.' });
    }
    return options.repo;
  }
  const clone = path.join(options.home, 'clone');
  if ((await git(clone, ['rev-parse', '--git-dir'])).code === 0) return clone;
  await mkdir(options.home, { recursive: true });
  const r = await git(options.home, ['init', '--quiet', clone]);
  if (r.code !== 0) throw new FleetGitError({ problem: 'not-a-clone', message: `could not create a clone at ${clone}: ${r.stderr.trim()}` });
  return clone;
}

export interface StartPoint {
  /** The commit the worktree starts at: the last snapshot of this attempt when one was pushed, else the base. */
  commit: string;
  resumed: boolean;
}

/**
 * Fetches what an attempt needs from the remote into the clone: the base (by its ref under
 * refs/godmode/<run>/bases/) and the attempt's latest snapshot, if an earlier try pushed one.
 * A base the remote does not have is `base-missing` (the job fails with that reason; retrying cannot help).
 * With `mayHaveSnapshot: false` (the job's first try) and the base already in the clone, the remote is not asked.
 */
export async function fetchStart(clone: string, remote: string, job: { runId: string; stream: string; attempt: number; base: string; mayHaveSnapshot?: boolean }): Promise<StartPoint> {
  const has = async (commit: string) => (await git(clone, ['cat-file', '-e', `${commit}^{commit}`])).code === 0;
  // The first try of an attempt has no earlier snapshot to continue from: a clone that has the base needs nothing from the remote.
  if (job.mayHaveSnapshot === false && (await has(job.base))) return { commit: job.base, resumed: false };
  const snapshotRef = remoteSnapshotRef(job.runId, job.stream, job.attempt);
  const listed = await git(clone, ['ls-remote', remote, snapshotRef, remoteBaseRef(job.runId, job.base)]);
  if (listed.code !== 0) {
    throw new FleetGitError({ problem: 'remote-unreachable', message: `git ls-remote ${remote} failed in ${clone}: ${listed.stderr.trim() || `exit ${listed.code}`}` });
  }
  const refs = new Map(listed.stdout.split('\n').filter(Boolean).map((line) => { const [sha, ref] = line.split('\t'); return [ref!, sha!] as const; }));
  const wanted = [...refs.keys()].map((ref) => `+${ref}:${ref}`);
  if (wanted.length > 0) {
    const fetched = await git(clone, ['fetch', '--quiet', '--no-tags', remote, ...wanted]);
    if (fetched.code !== 0) throw new FleetGitError({ problem: 'remote-unreachable', message: `git fetch ${remote} failed in ${clone}: ${fetched.stderr.trim()}` });
  }
  if (!(await has(job.base))) {
    throw new FleetGitError({
      problem: 'base-missing',
      message: `the base commit ${job.base} of stream ${job.stream} is neither in ${clone} nor on the remote ${remote} (no ${remoteBaseRef(job.runId, job.base)}).`,
      hint: 'The conductor pushes each base before it enqueues; push it by hand (git push <remote> <base>:refs/godmode/<run>/bases/<base>) and run the stream again.',
    });
  }
  const snapshot = refs.get(snapshotRef);
  if (snapshot && (await has(snapshot))) {
    // A snapshot that does not descend from the base is not this attempt's work: ignore it.
    const descends = (await git(clone, ['merge-base', '--is-ancestor', job.base, snapshot])).code === 0;
    if (descends) return { commit: snapshot, resumed: true };
  }
  return { commit: job.base, resumed: false };
}

/** git with a deadline: a remote behind a dead link would otherwise hold a push for minutes (TCP retries). */
function gitWithin(cwd: string, args: string[], timeoutMs: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (error, _stdout, stderr) => {
      if (!error) return resolve({ code: 0, stderr: String(stderr) });
      const timedOut = (error as { killed?: boolean }).killed === true;
      resolve({ code: typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1, stderr: timedOut ? `no answer from the remote within ${timeoutMs} ms` : String(stderr) });
    });
  });
}

/** Pushes `commit` to the attempt's snapshot ref on the remote (force: the ref moves with each snapshot). */
export async function pushSnapshot(clone: string, remote: string, commit: string, ref: string, timeoutMs = 30_000): Promise<void> {
  const r = await gitWithin(clone, ['push', '--quiet', '--no-verify', remote, `+${commit}:${ref}`], timeoutMs);
  if (r.code !== 0) {
    const problem = pushProblem(r.stderr);
    throw new FleetGitError({
      problem,
      message: `git push ${remote} ${commit.slice(0, 12)}:${ref} failed (${problem === 'push-refused' ? 'refused by the remote' : 'remote not reached'}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`,
      hint: problem === 'push-refused' ? 'Let this machine push to refs/godmode/* on the shared remote (permissions, hooks, protected refs).' : 'Check that the remote is reachable from this machine.',
    });
  }
}

/** Pushes a base commit the conductor has to the remote, so every agent can fetch it. */
export async function pushBase(repo: string, remote: string, runId: string, base: string): Promise<void> {
  const ref = remoteBaseRef(runId, base);
  const r = await git(repo, ['push', '--quiet', '--no-verify', remote, `${base}:${ref}`]);
  if (r.code !== 0) {
    // Another conductor (or a concurrent push of ours) put the same ref there first: that is success.
    const listed = await git(repo, ['ls-remote', remote, ref]);
    if (listed.code === 0 && listed.stdout.startsWith(base)) return;
    const problem = pushProblem(r.stderr);
    throw new FleetGitError({ problem, message: `git push ${remote} ${base.slice(0, 12)}:${ref} failed in ${repo}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` });
  }
}

/** Fetches a pushed snapshot into the conductor's repository; returns the commit the ref names. */
export async function fetchSnapshot(repo: string, remote: string, ref: string, expected: string): Promise<string> {
  const local = `refs/godmode-fleet/${ref.slice('refs/'.length)}`;
  // Tried three times: a fetch's connectivity check reads every ref of the repository, worktree HEADs included,
  // and the conductor adds and resets the worktrees of other streams meanwhile ("bad object worktrees/…/HEAD").
  // No `maintenance --auto` after each fetch (one more process on the conductor's critical path per attempt; the
  // repository's own git commands still run it), no forced-update scan (the ref moves by force by design).
  const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-auto-maintenance', '--no-show-forced-updates', remote, `+${ref}:${local}`];
  let fetched = false;
  for (let i = 1; i < 3 && !fetched; i++) {
    fetched = (await git(repo, args)).code === 0;
    if (!fetched) await new Promise((resolve) => setTimeout(resolve, 200 * i));
  }
  if (!fetched) await gitOk(repo, args);
  if ((await git(repo, ['cat-file', '-e', `${expected}^{commit}`])).code !== 0) {
    throw new FleetGitError({ problem: 'base-missing', message: `the remote ${remote} does not have commit ${expected} that the agent reported for ${ref}.` });
  }
  return expected;
}

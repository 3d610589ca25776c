// The integration head on the remote moves only by compare-and-swap: one table of cases against a real bare remote.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FleetGitError } from '../errors/fleet-git-error.js';
import { fetchRunRefs, pushIntegration } from './run-refs.js';

const root = mkdtempSync(path.join(tmpdir(), 'godmode-run-refs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

const remote = path.join(root, 'remote.git');
const work = path.join(root, 'work');
git(root, ['init', '-q', '--bare', remote]);
git(root, ['init', '-q', work]);
const commit = (message: string, parent?: string) => {
  if (parent) git(work, ['checkout', '-q', '--detach', parent]);
  git(work, ['commit', '-q', '--allow-empty', '-m', message]);
  return git(work, ['rev-parse', 'HEAD']);
};
const a = commit('a');
const b = commit('b', a);
const c = commit('c', b);
const side = commit('side', a);
const onRemote = (run: string) => {
  try {
    return git(remote, ['rev-parse', `refs/godmode/${run}/integration`]);
  } catch {
    return null;
  }
};

describe('pushIntegration', () => {
  // [case, what the remote holds first, expected by the pusher, pushed head, outcome]
  const cases: Array<[string, string | null, string | null, string, 'moved' | 'integration-moved']> = [
    ['the first push, nothing there', null, null, a, 'moved'],
    ['a fast-forward from what was seen', a, a, b, 'moved'],
    ['a taker replacing a head pushed but never journaled (not a fast-forward)', c, c, side, 'moved'],
    ['the same head again (a retry)', b, b, b, 'moved'],
    ['another conductor moved it since', b, a, c, 'integration-moved'],
    ['another conductor pushed first', a, null, side, 'integration-moved'],
    ['it was deleted since', null, a, b, 'integration-moved'],
  ];
  for (const [name, first, expected, head, outcome] of cases) {
    it(name, async () => {
      const run = `r-${cases.findIndex((c) => c[0] === name)}`;
      if (first) git(work, ['push', '-q', remote, `${first}:refs/godmode/${run}/integration`]);
      const pushing = pushIntegration(work, remote, run, head, expected);
      if (outcome === 'moved') {
        await pushing;
        expect(onRemote(run)).toBe(head);
      } else {
        const error = await pushing.then(() => null, (e: unknown) => e);
        expect(FleetGitError.isInstance(error) && error.problem).toBe('integration-moved');
        expect(onRemote(run)).toBe(first);
      }
    });
  }

  it("fetchRunRefs brings the run's refs under refs/godmode-fleet/ and names the integration head", async () => {
    git(work, ['push', '-q', remote, `${c}:refs/godmode/fetched/integration`, `${side}:refs/godmode/fetched/snapshots/s1/1`]);
    const clone = path.join(root, 'clone.git');
    git(root, ['init', '-q', '--bare', clone]);
    expect(await fetchRunRefs(clone, remote, 'fetched')).toEqual({ integration: c, refs: 2 });
    expect(git(clone, ['rev-parse', 'refs/godmode-fleet/godmode/fetched/snapshots/s1/1'])).toBe(side);
    expect(await fetchRunRefs(clone, remote, 'nothing-pushed')).toEqual({ integration: null, refs: 0 });
  });
});

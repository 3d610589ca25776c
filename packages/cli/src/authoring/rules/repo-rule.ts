import { execa } from 'execa';
import { resolve } from 'node:path';
import type { PlanRule } from './rule-context.js';

/** Whether `dir` is inside a git work tree (read-only: `git rev-parse` takes no lock and writes nothing). */
export async function isGitWorkTree(dir: string): Promise<boolean> {
  const result = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false, env: { GIT_OPTIONAL_LOCKS: '0' } }).catch(() => undefined);
  return result?.exitCode === 0 && String(result.stdout).trim() === 'true';
}

/** A plan's `repo:` must name a git repository: the streams' work trees are cut from it. */
export const repoRule: PlanRule = async (context) => {
  const repo = context.raw.repo;
  if (typeof repo !== 'string' || repo.trim() === '') return [];
  const dir = resolve(context.planDir, repo);
  if (await isGitWorkTree(dir)) return [];
  return [
    {
      file: context.file,
      path: 'repo',
      message: `repo "${repo}" (${dir}) is not a git repository`,
      fix: `point repo: at a git work tree (relative paths start at ${context.planDir}), run \`git init\` there, or remove repo: to use the plan's folder`,
    },
  ];
};

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Nobody's own git settings leak into a test; reads take no optional lock (so they never rewrite an index). */
export const gitEnv = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0' };
Object.assign(process.env, gitEnv);

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'user', GIT_AUTHOR_EMAIL: 'user@example.com', GIT_COMMITTER_NAME: 'user', GIT_COMMITTER_EMAIL: 'user@example.com' } }).trim();
}

export function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/**
 * A user's project: an ES module package with a passing `node --test` suite, committed on `main`, then a
 * modified tracked file, a staged change, a stash entry and an untracked file — the state a run must leave alone.
 */
export function fixtureRepository(options: { dirty?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'godmode-repo-'));
  git(dir, ['init', '-q', '-b', 'main']);
  write(dir, 'package.json', JSON.stringify({ name: 'fixture', type: 'module', private: true, scripts: { test: 'node --test' } }, null, 2) + '\n');
  write(dir, 'README.md', '# fixture\n');
  write(dir, 'src/index.js', "export const x = 'base';\n");
  write(dir, 'test/index.test.js', "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { x } from '../src/index.js';\ntest('x', () => assert.ok(x));\n");
  write(dir, '.gitignore', 'node_modules/\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'fixture']);
  if (options.dirty !== false) {
    write(dir, 'notes.md', 'kept out of git\n');
    git(dir, ['stash', 'push', '-q', '--include-untracked', '-m', 'users-stash']);
    write(dir, 'README.md', '# fixture, edited by the user\n');
    write(dir, 'src/staged.js', 'export const staged = true;\n');
    git(dir, ['add', 'src/staged.js']);
    write(dir, 'scratch.txt', 'untracked, made before the run\n');
  }
  return dir;
}

/** Everything of the user's checkout a run must leave byte-for-byte as it was. */
export function checkoutState(dir: string): Record<string, string> {
  const hash = (f: string) => (existsSync(path.join(dir, f)) ? createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex') : 'absent');
  return {
    status: git(dir, ['status', '--porcelain=v2', '--branch', '--untracked-files=all']),
    stash: git(dir, ['stash', 'list']),
    branch: tryGit(dir, ['symbolic-ref', '-q', 'HEAD']),
    head: git(dir, ['rev-parse', 'HEAD']),
    index: git(dir, ['ls-files', '--stage']),
    diff: git(dir, ['diff']),
    cached: git(dir, ['diff', '--cached']),
    scratch: hash('scratch.txt'),
    readme: hash('README.md'),
  };
}

/** A command stream writing files (each `file: text`), with those files as its deliverables. */
export function writer(id: string, files: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const script = Object.entries(files)
    .map(([f, text]) => `mkdir -p "$(dirname '${f}')" && printf '%s' '${text.replaceAll("'", "'\\''")}' > '${f}'`)
    .join(' && ');
  return { id, worker: { adapter: 'command', options: { command: script } }, deliverables: Object.keys(files), ...extra };
}

/** Settings that keep a test run short. */
export const fastSettings = { samplePeriodMs: 200, stallWindowMs: 20_000, budgetMs: 60_000, maxAttempts: 2, retryBaseMs: 200, reapGraceMs: 1_000, resultGraceMs: 500, leaseTtlMs: 3_000, canaries: 2 };

export function writePlan(plan: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'godmode-plan-'));
  const file = path.join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

function tryGit(cwd: string, args: string[]): string {
  try {
    return git(cwd, args);
  } catch {
    return '(none)';
  }
}

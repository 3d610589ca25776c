import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planSchema } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { ensureGodmodeDir, resolveRunRepository } from './run-repository.js';

Object.assign(process.env, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' });
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'u', GIT_AUTHOR_EMAIL: 'u@u', GIT_COMMITTER_NAME: 'u', GIT_COMMITTER_EMAIL: 'u@u' } }).trim();

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'godmode-runrepo-'));
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(path.join(dir, 'a.txt'), 'a');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'a']);
  return dir;
}
const plan = (extra: Record<string, unknown> = {}) => planSchema.parse({ name: 'p', phases: [{ id: 'x', streams: [{ id: 's', worker: { adapter: 'command', options: { command: 'true' } } }] }], ...extra });

describe('resolveRunRepository', () => {
  it('is the repository the run starts in; repo: false means plain folders; a folder in none gives plain folders', async () => {
    const r = repo();
    const got = await resolveRunRepository({ plan: plan(), planDir: '/nowhere', cwd: path.join(r), runId: 'run1', runDir: '/runs/run1' });
    expect(got).toMatchObject({ repo: r, base: git(r, ['rev-parse', 'HEAD']), integration: 'godmode/run1/integration', integrationTree: '/runs/run1/integration' });
    expect(await resolveRunRepository({ plan: plan({ repo: false }), planDir: '/', cwd: r, runId: 'run1', runDir: '/x' })).toBeNull();
    expect(await resolveRunRepository({ plan: plan(), planDir: '/', cwd: mkdtempSync(path.join(tmpdir(), 'godmode-plain-')), runId: 'run1', runDir: '/x' })).toBeNull();
  });

  it('refuses a branch an earlier run with the same id left, naming it', async () => {
    const r = repo();
    git(r, ['branch', 'godmode/run1/streams/s']);
    await expect(resolveRunRepository({ plan: plan(), planDir: '/', cwd: r, runId: 'run1', runDir: '/x' })).rejects.toMatchObject({ problem: 'branch-exists', where: 'refs/heads/godmode/run1/streams/s' });
  });

  it('refuses --base without a repository', async () => {
    await expect(resolveRunRepository({ plan: plan(), planDir: '/', cwd: mkdtempSync(path.join(tmpdir(), 'godmode-plain-')), base: 'main', runId: 'r', runDir: '/x' })).rejects.toMatchObject({ code: 'BASE_WITHOUT_REPO', audience: 'user' });
  });

  it('says that uncommitted changes are not part of the run', async () => {
    const r = repo();
    writeFileSync(path.join(r, 'a.txt'), 'changed');
    writeFileSync(path.join(r, 'b.txt'), 'new');
    const got = await resolveRunRepository({ plan: plan(), planDir: '/', cwd: r, runId: 'r', runDir: '/x' });
    expect(got?.message).toMatch(/Your 2 uncommitted changes \(1 modified, 1 untracked\) are not part of the run/);
  });

  it('.godmode/ gets a .gitignore of * when first made, and keeps an existing one', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'godmode-dot-'));
    await ensureGodmodeDir(path.join(project, '.godmode', 'runs'));
    expect(readFileSync(path.join(project, '.godmode/.gitignore'), 'utf8')).toBe('*\n');
    writeFileSync(path.join(project, '.godmode/.gitignore'), 'custom\n');
    await ensureGodmodeDir(path.join(project, '.godmode', 'runs'));
    expect(readFileSync(path.join(project, '.godmode/.gitignore'), 'utf8')).toBe('custom\n');
  });
});

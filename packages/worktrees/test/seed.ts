import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Nobody's own git settings leak into a test. */
export const cleanGitEnv = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
Object.assign(process.env, cleanGitEnv, { GIT_OPTIONAL_LOCKS: '0' });

export function sh(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
}

export function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** A repository with one commit on `main`: a README, src/a.ts, and a .gitignore of node_modules. */
export function seedRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'godmode-wt-'));
  sh(dir, ['init', '-q', '-b', 'main']);
  write(dir, 'README.md', '# seed\n');
  write(dir, 'src/a.ts', 'export const a = 1;\n');
  write(dir, '.gitignore', 'node_modules/\n');
  sh(dir, ['add', '-A']);
  sh(dir, ['commit', '-q', '-m', 'seed']);
  return dir;
}

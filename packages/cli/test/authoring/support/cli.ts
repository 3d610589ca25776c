import { execa, type Result } from 'execa';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claudeTestEnv, findClaudeBinary } from '../../../../model-stand-in/src/index.js';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const launcher = fileURLToPath(new URL('./godmode.ts', import.meta.url));
const tsxLoader = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

export interface Sandbox {
  root: string;
  home: string;
  env: Record<string, string>;
  dispose(): void;
}

/** A temporary folder with a fresh HOME and an environment for `godmode orchestra …` (and Claude Code via a stand-in). */
export function sandbox(standInUrl?: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'godmode-authoring-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const env: Record<string, string> = {
    ...claudeTestEnv({ home, ...(standInUrl ? { standInUrl } : {}) }),
    GODMODE_CLAUDE_BIN: findClaudeBinary(),
    GODMODE_CONFIG_DIR: join(home, '.config', 'godmode'),
    GODMODE_KEYRING: '0',
    GODMODE_TELEMETRY: '0',
    NO_COLOR: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    ...(process.env.GODMODE_TEST_SUITE ? { GODMODE_TEST_SUITE: process.env.GODMODE_TEST_SUITE } : {}),
  };
  for (const key of Object.keys(env)) if (key.startsWith('GODMODE_SUPABASE') || key === 'GODMODE_TOKEN') delete env[key];
  return { root, home, env, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** `godmode orchestra <args>` as a child process in `cwd`. */
export function orchestra(args: string[], cwd: string, env: Record<string, string>, timeout = 120_000): Promise<Result> {
  return execa(process.execPath, ['--import', tsxLoader, launcher, 'orchestra', ...args], { cwd, env: { ...env, TSX_TSCONFIG_PATH: tsconfig }, extendEnv: false, reject: false, stdin: 'ignore', timeout }) as unknown as Promise<Result>;
}

/** Writes files (path → content) under `dir`. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A git repository with these files committed. */
export async function gitRepo(dir: string, files: Record<string, string>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeTree(dir, files);
  const env = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  await execa('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
  await execa('git', ['add', '-A'], { cwd: dir, env });
  await execa('git', ['commit', '-q', '-m', 'seed'], { cwd: dir, env });
}

/** A folder on PATH holding executables with these names (each prints its name and exits 0). */
export function binDir(dir: string, names: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    writeFileSync(join(dir, name), `#!/bin/sh\necho ${name} "$@"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/**
 * A digest of everything under `dir` — names, modes, contents, symlink targets, modification times —
 * including `.git` (index, refs, objects): any change on disk changes it.
 */
export function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const st = lstatSync(path);
      hash.update(`${path.slice(dir.length)}\0${st.mode}\0${st.mtimeMs}\0`);
      if (st.isDirectory()) walk(path);
      else if (st.isSymbolicLink()) hash.update(readlinkSync(path));
      else hash.update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

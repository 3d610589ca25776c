import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claudeTestEnv, findClaudeBinary } from '../../../../model-stand-in/src/index.js';

export const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const launcher = fileURLToPath(new URL('./godmode.ts', import.meta.url));
const tsxLoader = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');

/** The argv that starts `godmode` with the Claude Code commands, from source. */
export function godmodeCommand(args: string[]): { file: string; args: string[] } {
  return { file: process.execPath, args: ['--import', tsxLoader, launcher, ...args] };
}

export interface TestContext {
  home: string;
  cwd: string;
  /** Claude Code's environment for this test: fresh HOME, the stand-in (if any), GODMODE_CLAUDE_BIN set. */
  env: Record<string, string>;
  dispose(): void;
}

/** A fresh HOME and working folder, and the environment for a godmode → Claude Code → stand-in run. */
export function testContext(standInUrl?: string, extra: Record<string, string> = {}, auth: 'api-key' | 'subscription' = 'api-key'): TestContext {
  const home = mkdtempSync(join(tmpdir(), 'godmode-claude-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'godmode-claude-cwd-'));
  const env = {
    ...claudeTestEnv({ home, auth, ...(standInUrl ? { standInUrl } : {}) }),
    GODMODE_CLAUDE_BIN: findClaudeBinary(),
    GODMODE_CONFIG_DIR: join(home, '.config', 'godmode'),
    GODMODE_KEYRING: '0',
    GODMODE_TELEMETRY: '0',
    NO_COLOR: '1',
    // scripts/test.mjs finds what the suite left running by this mark; a clean environment must keep it.
    ...(process.env.GODMODE_TEST_SUITE ? { GODMODE_TEST_SUITE: process.env.GODMODE_TEST_SUITE } : {}),
    ...extra,
  };
  for (const key of Object.keys(env)) if (key.startsWith('GODMODE_SUPABASE') || key === 'GODMODE_TOKEN') if (!(key in extra)) delete (env as Record<string, string>)[key];
  return { home, cwd, env, dispose: () => [home, cwd].forEach((dir) => rmSync(dir, { recursive: true, force: true })) };
}

/** Starts `godmode <args>` as a child process (its own group, so a test can signal it and its tree). */
export function godmode(args: string[], context: TestContext, options: { input?: string; timeout?: number } = {}): ResultPromise {
  const command = godmodeCommand(args);
  return execa(command.file, command.args, {
    cwd: context.cwd,
    env: context.env,
    extendEnv: false,
    reject: false,
    detached: true,
    timeout: options.timeout ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
  });
}

export function ndjson(text: string): Array<Record<string, any>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, any>);
}

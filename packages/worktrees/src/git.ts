import { execFile } from 'node:child_process';
import { GitCommandError } from './errors/git-command-error.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Git's environment for every command: optional locks off (a read never rewrites an index behind a live
 * agent), no prompt, C locale (messages are parsed), and no user hooks or editor.
 */
const baseEnv = { GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_EDITOR: 'true', GIT_MERGE_AUTOEDIT: 'no' };

/** Runs git without a shell (`input`, when given, is its stdin); never throws on a non-zero exit. */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...baseEnv, ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    // A git that exits before reading all of its input is judged by its exit code, not by the broken pipe.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

/** Runs git and returns its stdout; a non-zero exit is a `GitCommandError` naming the command and where. */
export async function gitOk(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<string> {
  const r = await git(cwd, args, env, input);
  if (r.code !== 0) throw new GitCommandError({ cwd, args, exitCode: r.code, stderr: r.stderr });
  return r.stdout;
}

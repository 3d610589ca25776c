import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const bin = join(repoRoot, 'apps/godmode/bin/run.js');
export const quickPlan = fileURLToPath(new URL('./fixtures/quick/plan.yaml', import.meta.url));
export const examplePlan = join(repoRoot, 'examples/three-streams/plan.yaml');

/** The CLI runs from dist: build it once per test file if a source is newer (CI builds before testing). */
export function ensureBuilt(): void {
  if (existsSync(join(repoRoot, 'apps/godmode/dist/main.js')) && process.env.GODMODE_SKIP_BUILD !== '0') return;
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

export function tempProject(): string {
  return mkdtempSync(join(tmpdir(), 'godmode-test-'));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function godmode(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: opts.cwd ?? repoRoot, env: { ...process.env, NO_COLOR: '1', ...opts.env }, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

export function ndjson(text: string): Array<Record<string, any>> {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

export function runDirs(project: string): string[] {
  const root = join(project, '.godmode/runs');
  return existsSync(root) ? readdirSync(root).map((d) => join(root, d)) : [];
}

export function journalOf(runDir: string): Array<Record<string, any>> {
  // A detached conductor may not have written its first entry yet.
  if (!existsSync(join(runDir, 'journal.jsonl'))) return [];
  return readFileSync(join(runDir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

/** Pids of live processes whose environment names this run directory (its workers and conductors). */
export function processesOfRun(runDir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'latin1');
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (env.includes(runDir) || cmd.includes(runDir)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Waits until nothing of the run is alive; on timeout names what is (pid, stream, command line). */
export async function expectNoProcessOfRun(runDir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = processesOfRun(runDir);
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      const described = left.map((pid) => {
        try {
          const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
          const stream = env.find((v) => v.startsWith('GODMODE_STREAM='));
          return `${pid} [${stream ?? 'no stream'}] ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim()}`;
        } catch {
          return `${pid} (gone while described)`;
        }
      });
      throw new Error(`processes of the run still alive after ${timeoutMs} ms:\n${described.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

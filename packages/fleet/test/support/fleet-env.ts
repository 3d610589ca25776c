// Real parts for fleet tests: a seed repository with a worker script, a bare remote, agents as separate
// `godmode fleet agent` processes (the built CLI), and plans parsed as the CLI parses them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parsePlan, planStreams, type Stream } from '@godmode/protocol';

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const godmodeBin = path.join(repoRoot, 'apps/godmode/bin/run.js');
export const gitEnv = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

export const builtSkipReason = existsSync(path.join(repoRoot, 'packages/fleet/dist/index.js')) && existsSync(path.join(repoRoot, 'apps/godmode/dist/main.js'))
  ? null
  : 'the CLI is not built (pnpm build) — the agents run as the real `godmode fleet agent` binary';

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: { ...process.env, ...gitEnv } });
  return stdout.trim();
}

/** The worker every test stream runs: writes N files of real text, one every stepMs, then claims success. */
const workerScript = `import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const [files = '3', stepMs = '300'] = process.argv.slice(2);
const work = process.env.GODMODE_WORKDIR;
const stream = process.env.GODMODE_STREAM;
mkdirSync(join(work, 'out'), { recursive: true });
for (let i = 1; i <= Number(files); i++) {
  const file = join(work, 'out', \`\${stream}-\${i}.txt\`);
  if (existsSync(file)) { console.log(\`kept out/\${stream}-\${i}.txt (already there)\`); continue; }
  await new Promise((r) => setTimeout(r, Number(stepMs)));
  writeFileSync(file, \`part \${i} of \${stream}, written by \${process.env.GODMODE_FLEET_AGENT}\\n\`);
  console.log(\`wrote out/\${stream}-\${i}.txt\`);
}
writeFileSync(process.env.GODMODE_RESULT, JSON.stringify({ stream, status: 'success' }));
`;

export interface Seed {
  dir: string;
  repo: string;
  remote: string;
  base: string;
}

export async function seedRepository(): Promise<Seed> {
  const dir = await mkdtemp(path.join(tmpdir(), 'godmode-fleet-'));
  const repo = path.join(dir, 'conductor-repo');
  await mkdir(repo);
  await git(repo, 'init', '--quiet', '-b', 'main');
  await writeFile(path.join(repo, 'work.mjs'), workerScript);
  await writeFile(path.join(repo, 'README.md'), '# fleet test project\n');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '--quiet', '-m', 'seed');
  const base = await git(repo, 'rev-parse', 'HEAD');
  const remote = path.join(dir, 'remote.git');
  await git(dir, 'clone', '--quiet', '--bare', repo, remote);
  return { dir, repo, remote, base };
}

export function streamsOf(yaml: string): Stream[] {
  return planStreams(parsePlan(yaml, 'plan.yaml')).map(({ stream }) => stream);
}

/** A plan of `n` streams s1..sn, each writing `files` files one every `stepMs`. */
export function plainStreams(n: number, files = 3, stepMs = 300): Stream[] {
  const lines = Array.from({ length: n }, (_, i) => `      - id: s${i + 1}\n        worker: { adapter: command, options: { command: 'node work.mjs ${files} ${stepMs}' } }\n        deliverables: [{ glob: "out/s${i + 1}-*.txt", min: ${files} }]\n`);
  return streamsOf(`name: fleet\nphases:\n  - id: one\n    streams:\n${lines.join('')}`);
}

export interface AgentProcess {
  name: string;
  home: string;
  child: ChildProcess;
  output: string[];
  ready: Promise<void>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `godmode fleet agent` as its own process; `wrap` puts a prefix before it (e.g. `ip netns exec <ns>`). */
export function startAgent(options: { db: string; name: string; home: string; slots?: number; wrap?: string[]; extra?: string[]; env?: NodeJS.ProcessEnv }): AgentProcess {
  const args = [godmodeBin, 'fleet', 'agent', '--json', '--db', options.db, '--slots', String(options.slots ?? 2), '--home', options.home, '--name', options.name, '--supervise-every', '2', ...(options.extra ?? [])];
  const [cmd, ...rest] = options.wrap && options.wrap.length > 0 ? [...options.wrap, process.execPath, ...args] : [process.execPath, ...args];
  const child = spawn(cmd!, rest, { env: { ...process.env, ...gitEnv, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let onReady: () => void = () => undefined;
  let onFail: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (onFail = reject)));
  ready.catch(() => undefined);
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      output.push(line);
      if (line.includes('"type":"ready"')) onReady();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(`stderr: ${chunk.toString()}`));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  void exited.then((code) => onFail(new Error(`agent ${options.name} exited (${code}) before it was ready:\n${output.join('\n')}`)));
  return {
    name: options.name,
    home: options.home,
    child,
    output,
    ready,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

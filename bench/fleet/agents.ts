// The agents of the fleet benchmarks: the real `godmode fleet agent` binary (default), or the agent from the
// workspace's source when GODMODE_BENCH_FLEET_SOURCE=1 (to try a change without rebuilding the CLI bundle).
// Every agent of a benchmark shares this one machine: each one's governor would count the other agents' load
// as its own and refuse work a real machine of its own would take, so the CPU ceiling is lifted to 100 %.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitEnv, startAgent, type AgentProcess } from '../../packages/fleet/test/support/fleet-env.js';

export const fromSource = process.env.GODMODE_BENCH_FLEET_SOURCE === '1';

export function launchAgent(options: { db: string; name: string; home: string; slots: number }): AgentProcess {
  if (!fromSource) return startAgent({ ...options, extra: ['--cpu-ceiling', '100'] });
  const script = fileURLToPath(new URL('./source-agent.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, options.name, options.home, options.db, String(options.slots), '100'], {
    cwd: path.dirname(script),
    env: { ...process.env, ...gitEnv, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let onReady: () => void = () => undefined;
  let onFail: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (onFail = reject)));
  ready.catch(() => undefined);
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (line.includes('"type":"ready"')) onReady();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => output.push(`stderr: ${chunk.toString()}`));
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

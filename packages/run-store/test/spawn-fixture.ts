import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsconfig = fileURLToPath(new URL('./fixtures/tsconfig.json', import.meta.url));
// `--import tsx` resolves from the working directory: the package, whose parents hold node_modules/tsx.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs a TypeScript fixture in a real Node process (through tsx), importing run-store and protocol from source. */
export function spawnFixture(name: string, args: string[]): ChildProcessWithoutNullStreams {
  const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig, NODE_OPTIONS: '' },
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Ends a child for good and waits until it is gone. */
export async function killChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill('SIGKILL');
  await gone;
}

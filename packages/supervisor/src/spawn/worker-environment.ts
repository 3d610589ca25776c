import { inheritedWorkerEnv, withoutGodmodeCredentials, type WorkerEnvPolicy } from '@godmode/protocol';
import type { Launch } from '../adapters/adapter.js';
import { markVar } from '../worker/mark.js';

/**
 * The whole environment of a worker: what it inherits by the plan's policy, then what its adapter and caller
 * set (an `undefined` removes a name), then its mark — and never godmode's own credentials, whoever set them.
 */
export function workerEnvironment(inherited: NodeJS.ProcessEnv, launch: Pick<Launch, 'env'>, mark: string, policy: WorkerEnvPolicy = 'inherit'): Record<string, string> {
  const env: Record<string, string> = inheritedWorkerEnv(inherited, policy);
  for (const [name, value] of Object.entries(launch.env)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  env[markVar] = mark;
  return withoutGodmodeCredentials(env);
}

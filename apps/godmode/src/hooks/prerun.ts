// oclif `prerun` hook (package.json → oclif.hooks): provides the conductor to the command about to run. A hook
// rather than main(), so `--help` and `--version`, which run no command, never load the services' graph.
import type { Hook } from '@oclif/core';
import { provideServices, type Services } from '@godmode/cli/services';

/**
 * The conductor, loaded on the first call: the supervisor, reconciler and scorer behind it are a large graph,
 * and most commands (`ls`, `status`, …) never call it. Every Services method returns a promise.
 */
function lazyServices(): Services {
  let created: Promise<Services> | undefined;
  const conductor = () => (created ??= import('../services.js').then((m) => m.createServices()));
  return new Proxy({} as Services, {
    get: (_target, method) => async (...args: unknown[]) => {
      const services = (await conductor()) as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>;
      return services[method]!(...args);
    },
  });
}

const provide: Hook<'prerun'> = async () => {
  provideServices(lazyServices());
};

export default provide;

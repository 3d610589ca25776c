import type { Config } from '@oclif/core';
import { getAdapter, registerAdapter, type WorkerAdapter } from '@godmode/supervisor';

/** The oclif hook a plugin implements to contribute worker adapters: its default export returns them. */
export const ADAPTERS_HOOK = 'godmode:adapters';

export interface PluginAdapters {
  /** Adapter names registered from plugins, with the plugin that gave each. */
  registered: Array<{ name: string; plugin: string }>;
  /** Plugins whose hook failed or returned something that is not an adapter: said once, never fatal. */
  problems: Array<{ plugin: string; message: string }>;
}

function isAdapter(value: unknown): value is WorkerAdapter {
  return typeof value === 'object' && value !== null && typeof (value as WorkerAdapter).name === 'string' && typeof (value as WorkerAdapter).launch === 'function';
}

/**
 * Runs every installed plugin's `godmode:adapters` hook and registers what they return in the supervisor's
 * registry (one per process, shared by every copy of @godmode/supervisor). The foreground CLI, plan validation and
 * a detached conductor all call this before they parse a plan, so a plugin's adapter is known everywhere.
 * A plugin may not replace a built-in adapter.
 */
export async function loadPluginAdapters(config: Config): Promise<PluginAdapters> {
  const out: PluginAdapters = { registered: [], problems: [] };
  const hasHook = config.plugins && [...config.plugins.values()].some((p) => (p.hooks?.[ADAPTERS_HOOK]?.length ?? 0) > 0);
  if (!hasHook) return out;
  const result = await config.runHook(ADAPTERS_HOOK as never, {} as never);
  for (const failure of result.failures) out.problems.push({ plugin: failure.plugin.name, message: failure.error.message });
  for (const success of result.successes as Array<{ plugin: { name: string }; result: unknown }>) {
    const list = Array.isArray(success.result) ? success.result : [success.result];
    for (const adapter of list) {
      if (!isAdapter(adapter)) {
        out.problems.push({ plugin: success.plugin.name, message: 'its godmode:adapters hook returned something that is not an adapter (it needs a name and a launch function)' });
        continue;
      }
      const existing = getAdapter(adapter.name);
      if (existing && existing !== adapter && ['command', 'claude'].includes(adapter.name)) {
        out.problems.push({ plugin: success.plugin.name, message: `it tried to replace the built-in adapter "${adapter.name}"; ignored` });
        continue;
      }
      registerAdapter(adapter);
      out.registered.push({ name: adapter.name, plugin: success.plugin.name });
    }
  }
  return out;
}

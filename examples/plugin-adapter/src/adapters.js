import { scribeAdapter } from './scribe-adapter.js';

/**
 * The `godmode:adapters` hook: godmode runs it (in the foreground CLI, in plan validation and in a detached
 * conductor alike) and registers every adapter it returns.
 */
export default async function adapters() {
  return [scribeAdapter];
}

import { GodmodeError } from '@godmode/protocol';
import type { RunContext } from '../conductor/run-context.js';

/**
 * A fleet run's kept merge goes to the shared remote (`refs/godmode/<run>/integration`) before the journal vouches
 * for it, so a conductor that takes the run over on another machine fetches every head the journal names. The
 * push is a compare-and-swap against the head this conductor last saw there, and is made only while the run's
 * database lease is valid: a conductor superseded by another one (a partition healed) never moves it. Returns
 * false when this conductor must not go on (no longer holding the run): nothing more is journaled.
 */
export async function pushKeptMerge(ctx: RunContext, head: string): Promise<boolean> {
  const fleet = ctx.fleet;
  const repo = ctx.repository;
  if (!fleet?.integration || !repo) return true;
  if (!ctx.acting || fleet.lease?.valid === false) return false;
  const { pushIntegration, remoteIntegrationHead, FleetGitError } = await import('@godmode/fleet');
  try {
    // The first push of this conductor: what is there now is what the conductors before it pushed (only a holder
    // of the lease pushes, and this one holds it).
    if (fleet.integration.onRemote === undefined) fleet.integration.onRemote = await remoteIntegrationHead(repo.repo, fleet.settings.remote, ctx.store.id);
    await pushIntegration(repo.repo, fleet.settings.remote, ctx.store.id, head, fleet.integration.onRemote);
  } catch (error) {
    if (FleetGitError.isInstance(error) && error.problem === 'integration-moved') {
      ctx.fail(new GodmodeError({ code: 'LEASE_HELD', audience: 'user', message: `${error.message} This conductor stopped without merging further.`, hint: error.hint ?? 'See `godmode orchestra status --fleet <db-url>`.' }));
      return false;
    }
    throw error;
  }
  fleet.integration.onRemote = head;
  return true;
}

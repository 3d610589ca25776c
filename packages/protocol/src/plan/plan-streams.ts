import type { Phase, Plan, Stream } from './plan.js';

/** Every stream of a plan with its phase, in plan order. */
export function planStreams(plan: Plan): Array<{ phase: Phase; stream: Stream }> {
  return plan.phases.flatMap((phase) => phase.streams.map((stream) => ({ phase, stream })));
}

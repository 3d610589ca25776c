import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/** The journal kind of a governor sample. */
export const governorSampleKind = 'governor.sample';

/**
 * The machine as the supervisor's governor saw it in one sampling period, journaled as `governor.sample`, so
 * a live or a finished run can chart the machine's CPU against the ceiling. Not every period is journaled:
 * the supervisor's `governorSampleDue` says which (a change, or a heartbeat every tenth period).
 */
export const governorSampleSchema = /* @__PURE__ */ lazySchema(() => z.object({
  /** Monotonic milliseconds, as in worker events. */
  t: z.number(),
  /** Wall clock, ISO 8601. */
  at: z.string(),
  /** The machine's CPU busy share (0..1) over the period; null where it cannot be read. */
  cpu: z.number().min(0).max(1).nullable(),
  /** The share (0..1) the governor keeps the machine under. */
  ceiling: z.number().min(0).max(1),
  /** Workers the governor holds paused after this period's decisions. */
  paused: z.number().int().nonnegative(),
  /** Workers live (started and not yet exited). */
  workers: z.number().int().nonnegative(),
  /** Present while the governor counts the machine 10 points busier for thermal throttling. */
  throttled: z.literal(true).optional(),
}));
export type GovernorSample = z.infer<typeof governorSampleSchema>;

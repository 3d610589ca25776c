import type { GovernorSample } from '@godmode/protocol';

/** A move of the machine's CPU this large (a share of all cores) is journaled at once. */
export const governorSampleStep = 0.05;
/** Periods after which a sample is journaled even when nothing moved: the chart's line goes on. */
export const governorSampleHeartbeat = 10;

/**
 * Whether this period's governor sample is journaled (`governor.sample`): the first one; any change of the
 * ceiling, of the paused or live counts, of the throttle, or of the CPU's being readable; a move of the
 * machine's CPU by `governorSampleStep` (5 points) or more from the last journaled sample; and otherwise
 * every `governorSampleHeartbeat`th (10th) period. A busy, changing machine is charted every period; a
 * steady one costs the journal a line every ten.
 */
export function governorSampleDue(last: GovernorSample | null, periodsSince: number, next: GovernorSample): boolean {
  if (last === null || periodsSince >= governorSampleHeartbeat) return true;
  if (next.ceiling !== last.ceiling || next.paused !== last.paused || next.workers !== last.workers) return true;
  if ((next.throttled ?? false) !== (last.throttled ?? false)) return true;
  if (next.cpu === null || last.cpu === null) return next.cpu !== last.cpu;
  // Compared in whole tenths of a point: 0.05 as a float difference would sit on either side of the step.
  return Math.round(Math.abs(next.cpu - last.cpu) * 1000) >= Math.round(governorSampleStep * 1000);
}

/** Keeps the last journaled sample and the periods since it; `offer` says whether this one goes out. */
export class GovernorSampler {
  private last: GovernorSample | null = null;
  private periodsSince = 0;

  offer(sample: GovernorSample): boolean {
    this.periodsSince++;
    if (!governorSampleDue(this.last, this.periodsSince, sample)) return false;
    this.last = sample;
    this.periodsSince = 0;
    return true;
  }
}

/** What the governor knows of a running worker. */
export interface GovernedWorker {
  key: string;
  /** How people know it (its stream), for the reasons the governor gives. */
  label?: string;
  startedAt: number;
  paused: boolean;
  pausedAt: number | null;
  /** CPU of its tree over the last period, in cores (1 = one full core). */
  cores: number;
  /** Its CPU just before it was paused, in cores: what resuming it will add. */
  coresBeforePause: number;
}

export type GovernorAction = { kind: 'pause' | 'resume'; key: string; reason: string };

export interface GovernorOptions {
  ceiling: number;
  cores: number;
  /** Consecutive periods over the ceiling before a pause. */
  overPeriods?: number;
  /** A worker paused this long while others run is swapped in, so none starves. */
  rotateAfterMs?: number;
}

/**
 * Keeps the machine under its CPU ceiling without killing anything: first it stops admitting, then it
 * pauses the most recently started worker, and resumes (oldest pause first) when the load leaves room
 * for that worker's own use. Decisions are pure, so they are tested without processes.
 */
export class Governor {
  private over = 0;
  /** The machine is under the ceiling (with a 5-point margin): workers may start. */
  admitting = true;
  /**
   * Over the ceiling with no worker of ours live: the load is someone else's and holding admissions cannot lower
   * it, so one worker may start (then none until the next decision) — the run goes on one worker at a time
   * instead of waiting forever, as a run whose workers are all paused gets its oldest pause back.
   */
  admitOne = false;

  constructor(private readonly options: GovernorOptions) {}

  decide(load: number | null, workers: GovernedWorker[], now: number): GovernorAction[] {
    if (load === null) return [];
    const { ceiling, cores } = this.options;
    const overPeriods = this.options.overPeriods ?? 2;
    const rotateAfterMs = this.options.rotateAfterMs ?? 10_000;
    this.admitting = load < ceiling - 0.05;
    this.admitOne = !this.admitting && workers.length === 0;
    this.over = load > ceiling ? this.over + 1 : 0;

    const running = workers.filter((w) => !w.paused).sort((a, b) => b.startedAt - a.startedAt);
    const paused = workers.filter((w) => w.paused).sort((a, b) => (a.pausedAt ?? 0) - (b.pausedAt ?? 0));

    if (this.over >= overPeriods) {
      const victim = running.find((w) => w.cores > 0.05) ;
      if (victim && running.length > 1) {
        this.over = 0;
        return [{ kind: 'pause', key: victim.key, reason: `machine CPU ${pct(load)} over the ${pct(ceiling)} ceiling` }];
      }
    }

    const first = paused[0];
    if (!first) return [];
    const adds = Math.max(first.coresBeforePause, 0.1) / cores;
    // With every one of our workers paused, the load is someone else's: pausing ours cannot lower it,
    // so the oldest pause goes back to work rather than starve.
    if (running.length === 0) {
      return [{ kind: 'resume', key: first.key, reason: 'no worker of this run is running; the load is not ours' }];
    }
    if (load + adds <= ceiling) {
      return [{ kind: 'resume', key: first.key, reason: `machine CPU ${pct(load)} leaves room under ${pct(ceiling)}` }];
    }
    // Rotation: a long pause is swapped with the most recently started running worker.
    const swap = running[0];
    if (swap && first.pausedAt !== null && now - first.pausedAt >= rotateAfterMs && swap.cores > 0.05) {
      return [
        { kind: 'pause', key: swap.key, reason: `rotating: ${first.label ?? first.key} has waited ${Math.round((now - first.pausedAt) / 1000)} s` },
        { kind: 'resume', key: first.key, reason: 'rotating so no worker starves' },
      ];
    }
    return [];
  }
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

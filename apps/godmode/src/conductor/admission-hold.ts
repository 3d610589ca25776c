import { journalKinds, type JournalEntry } from '@godmode/protocol';
import { sleep } from './sleep.js';

/** Journal kinds of a hold on admissions. */
export const admissionKinds = {
  /** A worker hit a usage limit that names its reset: no attempt of its adapter starts before `until`. */
  held: journalKinds.admissionsHeld,
  /** The hold lifted: attempts of the adapter start again. */
  resumed: journalKinds.admissionsResumed,
  /** A stream waits for the hold on its adapter to lift before its next attempt (shown as held in watch and status). */
  streamHeld: journalKinds.streamAdmissionHeld,
} as const;

/** How long after the announced reset the hold lasts: the reset is given in whole seconds, and clocks differ. */
export const holdMarginMs = 2_000;

export interface AdmissionHold {
  adapter: string;
  /** When attempts may start again (ISO 8601): the reset plus `holdMarginMs`. */
  until: string;
  /** The worker's own words (untrusted text). */
  reason: string;
}

/** What a failed attempt tells the holds: its failure reason as the supervisor reported it on `exited`. */
export interface LimitFailure {
  code?: string;
  message?: string;
  resetAt?: string;
}

/**
 * Holds on admissions, one per worker adapter, for the whole run. A worker that fails on a usage limit naming
 * its reset time puts its adapter on hold until then: no stream of that adapter starts an attempt before it lifts,
 * streams of other adapters run on, and the attempt that hit the limit is not counted against its stream (it
 * could not have done anything). Every hold is journaled before it matters, so a conductor that takes the run
 * over honours one still in force (`restore`); whichever stream first passes a lifted hold journals that it lifted.
 */
export class AdmissionHolds {
  private readonly holds = new Map<string, { until: number; reason: string }>();

  constructor(private readonly journal: (kind: string, payload: unknown) => Promise<JournalEntry | null>) {}

  /** The holds the journal has that have not lifted (a hold whose time has passed is lifted by the next `pass`). */
  restore(entries: JournalEntry[]): void {
    for (const e of entries) {
      const p = e.payload as { adapter?: unknown; until?: unknown; reason?: unknown };
      if (typeof p?.adapter !== 'string') continue;
      if (e.kind === admissionKinds.held && typeof p.until === 'string') this.extend(p.adapter, Date.parse(p.until), typeof p.reason === 'string' ? p.reason : 'usage limit');
      if (e.kind === admissionKinds.resumed) this.holds.delete(p.adapter);
    }
  }

  /**
   * Takeover: an attempt whose exit the journal records as a usage limit with its reset, but whose hold it does
   * not (the conductor died in between), is held now as it would have been. Returns the streams and attempts held.
   */
  async recover(entries: JournalEntry[], adapterOf: (stream: string) => string | null): Promise<Array<{ stream: string; attempt: number }>> {
    const recorded = new Set<string>();
    const last = new Map<string, number>();
    for (const e of entries) {
      const p = e.payload as { stream?: unknown; attempt?: unknown };
      if (e.kind === admissionKinds.held) recorded.add(`${String(p?.stream)}:${String(p?.attempt)}`);
      if (e.kind === 'stream.spawned' && typeof p?.stream === 'string' && typeof p.attempt === 'number') last.set(p.stream, Math.max(last.get(p.stream) ?? 0, p.attempt));
    }
    const recovered: Array<{ stream: string; attempt: number }> = [];
    for (const e of entries) {
      if (e.kind !== 'worker.exited') continue;
      const p = e.payload as { worker?: { stream?: unknown; attempt?: unknown }; reason?: LimitFailure };
      const stream = p?.worker?.stream;
      const attempt = p?.worker?.attempt;
      // Only a stream's latest attempt: an earlier one was followed by another, so it was decided already.
      if (typeof stream !== 'string' || typeof attempt !== 'number' || last.get(stream) !== attempt || recorded.has(`${stream}:${attempt}`)) continue;
      const adapter = adapterOf(stream);
      if (adapter && (await this.limitReached(adapter, p.reason, { stream, attempt }, Date.parse(e.at)))) recovered.push({ stream, attempt });
    }
    return recovered;
  }

  /**
   * A failed attempt: when it failed on a usage limit whose reset was still ahead, its adapter is held until then
   * (journaled) and true is returned — the attempt does not count. Anything else is an ordinary failure.
   */
  async limitReached(adapter: string, failure: LimitFailure | null | undefined, by: { stream: string; attempt: number }, failedAt: number = Date.now()): Promise<boolean> {
    if (failure?.code !== 'usage-limit' || !failure.resetAt) return false;
    const resetAt = Date.parse(failure.resetAt);
    // A reset already past when the worker failed explains nothing: an ordinary, counted failure (no endless retries).
    if (!Number.isFinite(resetAt) || resetAt <= failedAt) return false;
    const until = Math.max(resetAt, Date.now()) + holdMarginMs;
    const reason = (failure.message ?? 'usage limit reached').slice(0, 500);
    this.extend(adapter, until, reason);
    const hold = this.holds.get(adapter) as { until: number; reason: string };
    await this.journal(admissionKinds.held, { adapter, until: new Date(hold.until).toISOString(), resetAt: new Date(resetAt).toISOString(), reason, stream: by.stream, attempt: by.attempt });
    return true;
  }

  /** The hold in force on an adapter, if any. */
  current(adapter: string): AdmissionHold | null {
    const h = this.holds.get(adapter);
    return h && h.until > Date.now() ? { adapter, until: new Date(h.until).toISOString(), reason: h.reason } : null;
  }

  /**
   * Waits while the adapter is held (journaled once per stream and hold time), then lets the attempt start.
   * False when the run stops first.
   */
  async pass(adapter: string, stream: string, attempt: number, stop: AbortSignal): Promise<boolean> {
    let announced = 0;
    for (;;) {
      const h = this.holds.get(adapter);
      if (!h) return true;
      const left = h.until - Date.now();
      if (left <= 0) {
        // The first to find it lifted says so; checked and deleted with no await in between.
        this.holds.delete(adapter);
        await this.journal(admissionKinds.resumed, { adapter, heldUntil: new Date(h.until).toISOString() });
        return true;
      }
      if (announced !== h.until) {
        announced = h.until;
        await this.journal(admissionKinds.streamHeld, { stream, attempt, adapter, until: new Date(h.until).toISOString(), reason: h.reason });
      }
      if (!(await sleep(left, stop))) return false;
    }
  }

  private extend(adapter: string, until: number, reason: string): void {
    if (!Number.isFinite(until)) return;
    const h = this.holds.get(adapter);
    if (!h || until > h.until) this.holds.set(adapter, { until, reason });
  }
}

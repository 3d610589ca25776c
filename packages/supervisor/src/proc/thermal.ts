import si from 'systeminformation';

export interface ThermalReading {
  temperatureC: number | null;
  clockGHz: number | null;
  /** The highest clock seen so far: a clock well below it under load means the CPU is throttling. */
  peakClockGHz: number | null;
  throttled: boolean;
}

/**
 * Temperature and clock speed through systeminformation, where the machine reports them. Read at a slow
 * cadence and in the background: these calls cost far more than a /proc read.
 */
export class ThermalSensor {
  private reading: ThermalReading = { temperatureC: null, clockGHz: null, peakClockGHz: null, throttled: false };
  private busy = false;

  current(): ThermalReading {
    return this.reading;
  }

  refresh(load: number | null): void {
    if (this.busy) return;
    this.busy = true;
    void Promise.all([si.cpuTemperature().catch(() => null), si.cpuCurrentSpeed().catch(() => null)])
      .then(([temp, speed]) => {
        const clock = speed && speed.avg > 0 ? speed.avg : null;
        const peak = clock === null ? this.reading.peakClockGHz : Math.max(clock, this.reading.peakClockGHz ?? 0);
        this.reading = {
          temperatureC: temp && typeof temp.main === 'number' && temp.main > 0 ? temp.main : null,
          clockGHz: clock,
          peakClockGHz: peak,
          throttled: isThrottled(clock, peak, load),
        };
      })
      .finally(() => (this.busy = false));
  }
}

/** A clock under 85% of its peak while the machine is busy is thermal pressure, not idle power saving. */
export function isThrottled(clock: number | null, peak: number | null, load: number | null): boolean {
  return clock !== null && peak !== null && load !== null && load > 0.5 && clock < peak * 0.85;
}

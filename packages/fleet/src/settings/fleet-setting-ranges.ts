import { FleetSettingError } from '../errors/fleet-setting-error.js';

/**
 * The fleet's settings a user gives on the command line, each with its unit in its name, its range and its
 * default: the one place the flags of `godmode fleet agent` and `godmode orchestra run --fleet` take their
 * bounds from (oclif refuses a value outside them, naming the flag, with exit 2).
 */
export const fleetSettingRanges = {
  /** Agent: most attempts at once on this machine (its governor may admit fewer). */
  slots: { min: 1, max: 256, default: 2 },
  /** Agent: how often an idle agent asks the queue for work. */
  pollMs: { min: 100, max: 60_000, default: 500 },
  /** Agent: how often it looks for jobs whose heartbeat lapsed (pg-boss's supervision). */
  superviseEverySeconds: { min: 1, max: 600, default: 10 },
  /** Agent: the governor's CPU ceiling for this machine. */
  cpuCeilingPercent: { min: 1, max: 100, default: 80 },
  /** Agent: no worker starts while less than this share of memory is available. */
  memoryFloorPercent: { min: 0, max: 90, default: 10 },
  /** Conductor: a running attempt's work tree is pushed at most this often (and at its end). */
  snapshotEveryMs: { min: 100, max: 3_600_000, default: 30_000 },
  /** Conductor: an agent silent this long loses the attempt to another (pg-boss's job heartbeat; at least 10). */
  heartbeatSeconds: { min: 10, max: 3_600, default: 30 },
} as const;

export type FleetSettingName = keyof typeof fleetSettingRanges;

/** The value when it is a whole number in the setting's range; otherwise a `FleetSettingError` naming the setting. */
export function checkFleetSetting(name: FleetSettingName, value: number): number {
  const { min, max } = fleetSettingRanges[name];
  if (!Number.isInteger(value) || value < min || value > max) throw new FleetSettingError({ setting: name, value, min, max });
  return value;
}

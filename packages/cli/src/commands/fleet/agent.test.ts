import { fleetSettingRanges } from '@godmode/fleet';
import { describe, expect, it } from 'vitest';
import { agentSettingRanges, FleetAgent } from './agent.js';

describe('fleet agent flags', () => {
  it('take their bounds and defaults from the fleet package’s one table of ranges', () => {
    for (const [name, bounds] of Object.entries(agentSettingRanges)) {
      expect(bounds, name).toEqual(fleetSettingRanges[name as keyof typeof fleetSettingRanges]);
    }
  });

  it.each([
    ['slots', 'slots'],
    ['poll-ms', 'pollMs'],
    ['supervise-every', 'superviseEverySeconds'],
    ['cpu-ceiling', 'cpuCeilingPercent'],
    ['memory-floor', 'memoryFloorPercent'],
  ] as const)('--%s is a whole number bounded by %s', (flag, setting) => {
    const definition = FleetAgent.flags[flag] as { type: string; min?: number; max?: number };
    expect(definition.type).toBe('option');
    expect([definition.min, definition.max]).toEqual([fleetSettingRanges[setting].min, fleetSettingRanges[setting].max]);
  });
});

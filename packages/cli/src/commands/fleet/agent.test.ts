import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

const bin = fileURLToPath(new URL('../../../../../apps/godmode/bin/run.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../../../../apps/godmode/dist/main.js', import.meta.url)));

describe.skipIf(!built)('fleet agent flags through the binary', () => {
  it.each([
    ['--poll-ms', '5', /--poll-ms[\s\S]*greater than or equal to 100/],
    ['--memory-floor', '95', /--memory-floor[\s\S]*less than or equal to 90/],
    ['--slots', 'two', /--slots[\s\S]*Expected an integer/],
  ])('%s %s is refused before any connection, naming the flag, exit 2', (flag, value, message) => {
    const r = spawnSync(process.execPath, [bin, 'fleet', 'agent', '--db', 'postgres://u:secret@127.0.0.1:1/x', flag, value], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('secret');
  });
});

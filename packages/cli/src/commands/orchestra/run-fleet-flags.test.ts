import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../../../apps/godmode/bin/run.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../../../../apps/godmode/dist/main.js', import.meta.url)));

describe.skipIf(!built)('orchestra run --fleet settings through the binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'godmode-fleet-flags-'));
  const plan = join(dir, 'plan.yaml');
  writeFileSync(plan, 'name: flags\nrepo: false\nphases:\n  - id: p\n    streams:\n      - id: a\n        worker: { adapter: command, options: { command: "true" } }\n        deliverables: [a.txt]\n');
  it.each([
    [['--fleet', 'postgres://u:secret@127.0.0.1:1/x', '--fleet-heartbeat', '5'], /--fleet-heartbeat[\s\S]*greater than or equal to 10/],
    [['--fleet', 'postgres://u:secret@127.0.0.1:1/x', '--fleet-snapshot-every-ms', '10'], /--fleet-snapshot-every-ms[\s\S]*greater than or equal to 100/],
    [['--fleet-heartbeat', '30'], /--fleet/],
  ])('%j is refused before anything starts, naming the flag, exit 2', (flags, message) => {
    const r = spawnSync(process.execPath, [bin, 'orchestra', 'run', plan, '--cwd', dir, ...flags], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('secret');
    expect(existsSync(join(dir, '.godmode'))).toBe(false);
  });
});

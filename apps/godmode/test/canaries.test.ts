import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, godmode, runDirs, tempProject } from './helpers.js';

const leakyPlan = fileURLToPath(new URL('./fixtures/quick/leaky.yaml', import.meta.url));

beforeAll(() => ensureBuilt(), 300_000);

describe('canaries planted by the conductor', () => {
  it('are in every worker’s environment and a 0600 config file; one leaked base64 into a log is found, the plant itself is not a leak', async () => {
    const project = tempProject();
    const r = await godmode(['orchestra', 'run', leakyPlan, '--cwd', project]);
    expect(r.code, r.stderr).toBe(0);
    const [runDir] = runDirs(project) as [string];
    const planted = JSON.parse(readFileSync(join(runDir, 'canaries.json'), 'utf8')) as { values: string[] };
    expect(planted.values).toHaveLength(10);

    for (const stream of ['careful', 'careless']) {
      const file = join(runDir, 'streams', stream, 'attempts', '1', '.godmode-secrets.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Object.values(JSON.parse(readFileSync(file, 'utf8')).secrets).sort()).toEqual([...planted.values].sort());
    }
    expect(readFileSync(join(runDir, 'streams', 'careless', 'attempts', '1', 'stdout.log'), 'utf8')).toContain('environment canaries: 10');

    const card = JSON.parse(readFileSync(join(runDir, 'scorecard.json'), 'utf8'));
    expect(card.canaries).toMatchObject({ planted: 10, leaked: 1 });
    const files = card.canaries.leaks.map((l: { file: string; encoding: string }) => `${l.encoding} ${l.file}`);
    expect(files).toContain('base64 streams/careless/attempts/1/stderr.log');
    expect(files.filter((f: string) => f.includes('careful') || f.includes('.godmode-secrets.json'))).toEqual([]);
    expect(card.dimensions.polish.score).toBeLessThan(1);
    const report = await godmode(['orchestra', 'report', '--format', 'md', '--cwd', project]);
    expect(report.stdout).toMatch(/1 of 10 canaries leaked/);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, godmode, killAll, ndjson, processesOfRun, repoRoot, runDirs, tempProject } from './helpers.js';
import { verdictsOf } from './run-invariants.js';

// The conductor on the bundled example and on malformed plans; its takeovers are in conductor-takeover.test.ts.
const started: string[] = [];

beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const dir of started) killAll(processesOfRun(dir));
});

describe('godmode orchestra run on the bundled example', () => {
  it('shows 2 shipped, 1 missing and both divergences; status agrees, also with --json', async () => {
    const project = tempProject();
    const run = await godmode(['orchestra', 'run', join(repoRoot, 'examples/three-streams/plan.yaml'), '--json', '--cwd', project]);
    expect(run.stderr).not.toMatch(/Error/);
    // 2 of 3 shipped is a failed outcome: exit 1, as the README's table says.
    expect(run.code).toBe(1);
    const events = ndjson(run.stdout);
    const outcome = events.find((e) => e.type === 'outcome');
    expect(outcome).toMatchObject({ shipped: 2, streams: 3 });
    const [runDir] = runDirs(project);
    started.push(runDir!);
    const receipt = readFileSync(join(runDir!, 'receipt.md'), 'utf8');
    expect(receipt).toMatch(/honest/);
    expect(verdictsOf(runDir!)).toEqual({ honest: 'shipped', silent: 'shipped', boaster: 'missing' });
    const reconciled = events.filter((e) => e.kind === 'stream.reconciled').map((e) => e.payload);
    expect(reconciled.find((v) => v.stream === 'silent')?.divergence).toBe('no-claim');
    expect(reconciled.find((v) => v.stream === 'boaster')?.divergence).toBe('overstated');
    expect(reconciled.find((v) => v.stream === 'honest')?.divergence).toBe('agrees');

    const status = await godmode(['orchestra', 'status', '--json', '--cwd', project]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(Object.fromEntries(parsed.streams.map((s: any) => [s.stream, s.verdict]))).toEqual({ honest: 'shipped', silent: 'shipped', boaster: 'missing' });
    const human = await godmode(['orchestra', 'status', '--cwd', project]);
    expect(human.stdout).toMatch(/boaster\s+build\s+\S+\s+\d+\s+missing/);
    expect(processesOfRun(runDir!)).toEqual([]);
  });
});

describe('malformed plans', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['bad-yaml.yaml', 'name: x\nphases: [\n  - id: ', /line \d+/],
    ['unknown-adapter.yaml', 'name: x\nphases:\n  - id: p\n    streams:\n      - id: s\n        worker: { adapter: telepathy }\n', /phases\[0\]\.streams\[0\]\.worker\.adapter/],
    ['duplicate.yaml', 'name: x\nphases:\n  - id: p\n    streams:\n      - { id: s, worker: { adapter: command, options: { command: "true" } } }\n      - { id: s, worker: { adapter: command, options: { command: "true" } } }\n', /phases\[0\]\.streams\[1\]\.id/],
    ['escape.yaml', 'name: x\nphases:\n  - id: p\n    streams:\n      - { id: s, worker: { adapter: command, options: { command: "true" } }, deliverables: ["../../etc/passwd"] }\n', /phases\[0\]\.streams\[0\]\.deliverables\[0\]/],
  ];
  it.each(cases)('%s gives one clear error naming the file and the path, exit 2', async (name, text, path) => {
    const project = tempProject();
    const file = join(project, name);
    writeFileSync(file, text);
    const r = await godmode(['orchestra', 'run', file, '--cwd', project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(path);
    expect(r.stderr).not.toMatch(/\n\s+at .+\.js:\d+/);
  });

  it('a missing plan file says so', async () => {
    const r = await godmode(['orchestra', 'run', '/nonexistent/plan.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/plan.yaml');
  });
});

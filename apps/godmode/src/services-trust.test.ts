import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRun, isTrusted, loadPlanFile, UntrustedRunError } from '@godmode/run-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from './services.js';

// A library or daemon user calling the services directly gets the CLI's protection: the commands of a run
// folder this machine did not create or conduct (a cloned repository can carry a crafted one) are not run.
let root: string;
const savedState = process.env.GODMODE_STATE_DIR;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'godmode-services-trust-'));
  process.env.GODMODE_STATE_DIR = join(root, 'state');
});
afterAll(() => {
  if (savedState === undefined) delete process.env.GODMODE_STATE_DIR;
  else process.env.GODMODE_STATE_DIR = savedState;
  rmSync(root, { recursive: true, force: true });
});

function planText(marker: string): string {
  return [
    'name: crafted',
    'repo: false',
    `test: 'touch "${marker}.test"'`,
    'settings: { samplePeriodMs: 200, stallWindowMs: 5000, budgetMs: 20000, reapGraceMs: 500, maxAttempts: 1, leaseTtlMs: 1000, canaries: 0 }',
    'phases:',
    '  - id: one',
    '    streams:',
    '      - id: a',
    `        worker: { adapter: command, options: { command: 'touch "${marker}.worker"; mkdir -p out; echo done > out/a.txt' } }`,
    '        check: ' + `'touch "${marker}.check"'`,
    '        deliverables: [out/a.txt]',
    '',
  ].join('\n');
}

/** A run folder as a cloned repository would bring it: made by someone else, never conducted here. */
async function craftedRun(name: string): Promise<{ project: string; runId: string; runDir: string; marker: string }> {
  const project = join(root, name);
  mkdirSync(project, { recursive: true });
  const marker = join(root, `${name}-ran`);
  writeFileSync(join(project, 'plan.yaml'), planText(marker));
  const { plan, dir } = await loadPlanFile(join(project, 'plan.yaml'));
  const store = await createRun({ root: join(project, '.godmode', 'runs'), plan, planDir: dir, runId: `crafted-${name}` });
  await store.close();
  return { project, runId: store.id, runDir: store.dir, marker };
}

const ran = (marker: string) => ['worker', 'check', 'test'].filter((k) => existsSync(`${marker}.${k}`));
const journalKinds = (runDir: string) =>
  existsSync(join(runDir, 'journal.jsonl'))
    ? readFileSync(join(runDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { kind: string }).kind)
    : [];

describe('services refuse to run the commands of a run folder this machine did not create or conduct', { timeout: 120_000 }, () => {
  it('takeover: refused with the run named and --trust as the way out; nothing runs, nothing is journaled', async () => {
    const { project, runId, runDir, marker } = await craftedRun('takeover');
    const events: unknown[] = [];
    const error = await createServices()
      .takeover({ run: runId, cwd: project, onEvent: (e) => events.push(e) })
      .then(() => null, (e: unknown) => e);
    expect(UntrustedRunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(runDir);
    expect((error as UntrustedRunError).hint).toMatch(/--trust/);
    expect(ran(marker)).toEqual([]);
    expect(journalKinds(runDir)).not.toContain('run.takeover');
    expect(journalKinds(runDir)).not.toContain('lease.acquired');
  });

  it('run --resume: refused the same way', async () => {
    const { project, runId, marker } = await craftedRun('resume');
    const error = await createServices()
      .run({ resume: runId, cwd: project, detach: false, onEvent: () => {} })
      .then(() => null, (e: unknown) => e);
    expect(UntrustedRunError.isInstance(error)).toBe(true);
    expect(ran(marker)).toEqual([]);
  });

  it('a fresh run is this machine’s: recorded as trusted, so a later takeover through the services may run it', async () => {
    const project = join(root, 'fresh');
    mkdirSync(project, { recursive: true });
    const marker = join(root, 'fresh-ran');
    writeFileSync(join(project, 'plan.yaml'), planText(marker));
    const outcome = await createServices().run({ planFile: join(project, 'plan.yaml'), cwd: project, detach: false, onEvent: () => {} });
    expect(outcome.shipped).toBe(1);
    expect(await isTrusted(outcome.runDir)).toBe(true);
    expect(ran(marker)).toEqual(['worker', 'check', 'test']);
  });

  it('trust given explicitly (what --trust does) lets the takeover run, and remembers it', async () => {
    const { project, runId, runDir, marker } = await craftedRun('trusted');
    const outcome = await createServices().takeover({ run: runId, cwd: project, onEvent: () => {}, trust: true } as Parameters<ReturnType<typeof createServices>['takeover']>[0]);
    expect(outcome.shipped).toBe(1);
    expect(ran(marker)).toContain('worker');
    expect(await isTrusted(runDir)).toBe(true);
  });
});

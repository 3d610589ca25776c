import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan, PlanError, type Verdict } from '@godmode/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanFileError } from './errors/plan-file-error.js';
import { RunExistsError } from './errors/run-exists-error.js';
import { RunNotFoundError } from './errors/run-not-found-error.js';
import { RunPathError } from './errors/run-path-error.js';
import { loadPlanFile } from './load-plan-file.js';
import { createRun, openRun } from './run-store.js';
import { listRuns, resolveRun } from './runs.js';

const planText = `
name: My Plan!
phases:
  - id: build
    streams:
      - id: api
        worker: { adapter: command, options: { command: "node api.js" } }
        deliverables: [api.ts]
      - id: docs
        worker: { adapter: command, options: { command: "node docs.js" } }
`;
const plan = parsePlan(planText, 'plan.yaml');

const verdict: Verdict = {
  stream: 'api',
  status: 'shipped',
  divergence: 'agrees',
  sentence: 'disk has 1 of 1 deliverables',
  deliverables: { expected: 1, present: 1 },
  evidence: { deliverables: [], check: null, git: null },
  claim: { state: 'read', status: 'success', says: 'success', problem: null },
  attempt: 1,
  reconciledAt: '2026-11-24T11:00:00.000Z',
};

let dir = '';
let root = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'godmode-store-'));
  root = path.join(dir, '.godmode', 'runs');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createRun / openRun', () => {
  it('creates the run directory: plan.json with planDir, and a work folder per stream', async () => {
    const store = await createRun({ root, plan, planDir: dir });
    expect(store.id).toMatch(/^\d{8}-\d{6}-my-plan-[a-z0-9]{4}$/);
    expect(store.dir).toBe(path.join(root, store.id));
    expect(existsSync(store.layout.workDir('api'))).toBe(true);
    expect(existsSync(store.layout.workDir('docs'))).toBe(true);
    expect(JSON.parse(await readFile(store.layout.planFile, 'utf8'))).toEqual({ version: 1, planDir: dir, plan });

    const again = await openRun(store.dir);
    expect(await again.readPlan()).toEqual({ plan, planDir: dir });
    await expect(createRun({ root, plan, planDir: dir, runId: store.id })).rejects.toSatisfy(RunExistsError.isInstance);
  });

  it('refuses to open a folder that is not a run', async () => {
    await expect(openRun(dir)).rejects.toSatisfy(RunNotFoundError.isInstance);
    await expect(openRun(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', audience: 'user' });
  });

  it('writes JSON and text atomically inside the run, and refuses paths that escape it', async () => {
    const store = await createRun({ root, plan, planDir: dir, runId: 'r1' });
    await store.writeJson('scorecard.json', { overall: 1 });
    await store.writeText('notes/receipt.md', '# done\n');
    expect(JSON.parse(await readFile(store.layout.scorecardFile, 'utf8'))).toEqual({ overall: 1 });
    expect(await readFile(path.join(store.dir, 'notes', 'receipt.md'), 'utf8')).toBe('# done\n');
    for (const bad of ['../escape.json', '/etc/passwd', 'streams/../../x', '', '.']) {
      await expect(store.writeJson(bad, {})).rejects.toSatisfy(RunPathError.isInstance);
    }
    expect(existsSync(path.join(root, 'escape.json'))).toBe(false);
  });

  it('round-trips a verdict, validates it, and reads null before one exists', async () => {
    const store = await createRun({ root, plan, planDir: dir, runId: 'r1' });
    expect(await store.readVerdict('api')).toBeNull();
    await store.writeVerdict('api', verdict);
    expect(await store.readVerdict('api')).toEqual(verdict);
    await expect(store.writeVerdict('api', { ...verdict, status: 'great' } as unknown as Verdict)).rejects.toThrow();
    await expect(store.readVerdict('../x')).rejects.toMatchObject({ code: 'RUN_BAD_STREAM_ID' });
    await writeFile(store.layout.verdictFile('docs'), '{"stream":"docs"}');
    await expect(store.readVerdict('docs')).rejects.toMatchObject({ code: 'RUN_FILE_DAMAGED' });
  });

  it('replays its own journal, reporting a corrupt line without throwing', async () => {
    const store = await createRun({ root, plan, planDir: dir, runId: 'r1' });
    const lease = (await store.lease.acquire({ holder: 'me', ttlMs: 10_000 }))!;
    await store.journal.append('run.started', { runId: 'r1' }, { token: lease.token });
    await store.journal.append('stream.spawned', { stream: 'api', attempt: 1 }, { token: lease.token });
    await store.journal.append('stream.reconciled', verdict, { token: lease.token });
    await store.close();
    await writeFile(store.layout.journalFile, `${await readFile(store.layout.journalFile, 'utf8')}not json\n{"seq":5,"at":"x","kind":"run.finished","payload":{}}\n`);

    const state = await (await openRun(store.dir)).replay();
    expect(state).toMatchObject({ runId: 'r1', planName: 'My Plan!', status: 'finished', holderToken: 1, lastSeq: 5 });
    expect(state.streams.api).toMatchObject({ state: 'done', verdict: { status: 'shipped' } });
    expect(state.streams.docs?.state).toBe('pending');
    // In file order: the corrupt line 4, then the gap it leaves.
    expect(state.problems).toEqual([expect.stringMatching(/^journal line 4 is corrupt \(not JSON .*\): not json$/), 'journal seq jumps from 3 to 5 (1 missing)']);
  });
});

describe('replay of worker events', () => {
  it('attributes skimmed worker events to their stream, parses the last ones in full, and reports bad lines', async () => {
    const store = await createRun({ root, plan, planDir: dir, runId: 'r1' });
    const worker = { stream: 'api', attempt: 1, pid: 77, startTime: '9', cmdline: 'node api.js', pgid: 77 };
    await store.journal.append('worker.spawned', { worker, t: 0, at: 'x', type: 'spawned', logs: { stdout: 'o', stderr: 'e' }, workdir: 'w' });
    for (let i = 0; i < 30; i++) {
      await store.journal.append('worker.output', { worker, t: i, at: 'x', type: 'output', stream: 'stdout', bytes: i, line: `line "${i}"` });
    }
    // Identity keys in another order: still found. Then a line whose payload is cut short.
    await store.journal.append('worker.sample', { type: 'sample', worker: { pgid: 77, stream: 'docs', attempt: 1, pid: 78, startTime: '9', cmdline: 'x' }, t: 1, at: 'x' });
    await store.close();
    await writeFile(store.layout.journalFile, `${await readFile(store.layout.journalFile, 'utf8')}{"seq":33,"at":"x","kind":"worker.output","payload":{"worker":{"stream":"api"\n`);

    const state = await (await openRun(store.dir)).replay();
    expect(state.lastSeq).toBe(32);
    expect(state.streams.api?.attempts).toMatchObject([{ n: 1, identity: worker, logs: { stdout: 'o', stderr: 'e' } }]);
    const last = state.streams.api?.lastEvents ?? [];
    expect(last.map((e) => e.seq)).toEqual([22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);
    expect(last.at(-1)?.payload).toEqual({ worker, t: 29, at: 'x', type: 'output', stream: 'stdout', bytes: 29, line: 'line "29"' });
    expect(state.streams.docs?.lastEvents.map((e) => e.kind)).toEqual(['worker.sample']);
    expect(state.problems).toEqual([expect.stringMatching(/^journal line 33 is corrupt \(not JSON/)]);
  });
});

describe('listRuns / resolveRun', () => {
  it('lists runs with their state and holder, and resolves the latest, an id, a prefix and a path', async () => {
    await expect(resolveRun(root)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', message: expect.stringContaining('no runs') });
    const a = await createRun({ root, plan, planDir: dir, runId: '20261124-100000-a-0000' });
    await a.journal.append('run.started', {});
    await a.journal.append('run.finished', { stopped: false });
    const b = await createRun({ root, plan, planDir: dir, runId: '20261124-110000-b-0000' });
    await b.journal.append('run.started', {});
    await b.lease.acquire({ holder: 'conductor-1', ttlMs: 60_000 });
    const c = await createRun({ root, plan, planDir: dir, runId: '20261124-120000-c-0000' });
    await c.journal.append('run.started', {});
    await mkdir(path.join(root, 'not-a-run'));
    await Promise.all([a.close(), b.close(), c.close()]);

    const runs = await listRuns(root);
    expect(runs.map((r) => [r.id, r.state, r.holder])).toEqual([
      ['20261124-100000-a-0000', 'finished', null],
      ['20261124-110000-b-0000', 'running', 'conductor-1'],
      ['20261124-120000-c-0000', 'orphaned', null],
    ]);
    expect(runs[0]?.startedAt).toMatch(/^\d{4}-/);

    expect(await resolveRun(root)).toBe(c.dir);
    expect(await resolveRun(root, '20261124-110000-b-0000')).toBe(b.dir);
    expect(await resolveRun(root, '20261124-10')).toBe(a.dir);
    expect(await resolveRun(root, a.dir)).toBe(a.dir);
    await expect(resolveRun(root, '20261124')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', message: expect.stringContaining('matches 3 runs') });
    await expect(resolveRun(root, 'zzz')).rejects.toSatisfy(RunNotFoundError.isInstance);
    expect(await listRuns(path.join(dir, 'missing'))).toEqual([]);
  });

  it('names a run folder that lost its plan.json instead of calling it missing', async () => {
    const lonely = path.join(dir, 'lonely-runs');
    const d = await createRun({ root: lonely, plan, planDir: dir, runId: '20261124-130000-d-0000' });
    await d.journal.append('run.started', {});
    await d.close();
    await rm(path.join(d.dir, 'plan.json'));
    await expect(resolveRun(lonely)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', message: expect.stringContaining('20261124-130000-d-0000 has a journal but no plan.json') });
    await expect(resolveRun(lonely, d.dir)).rejects.toMatchObject({ message: expect.stringContaining('has a journal but no plan.json') });
    await expect(resolveRun(lonely, '20261124-130000-d-0000')).rejects.toMatchObject({ message: expect.stringContaining('has a journal but no plan.json') });
  });
});

describe('loadPlanFile', () => {
  it('loads a plan and returns its folder', async () => {
    const file = path.join(dir, 'plan.yaml');
    await writeFile(file, planText);
    expect(await loadPlanFile(file)).toEqual({ plan, dir, file });
  });

  it('names the file when it is missing, unreadable or invalid', async () => {
    const missing = path.join(dir, 'missing.yaml');
    await expect(loadPlanFile(missing)).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND', file: missing, message: expect.stringContaining(missing) });
    await expect(loadPlanFile(dir)).rejects.toSatisfy((e: unknown) => PlanFileError.isInstance(e) && (e as PlanFileError).code === 'PLAN_UNREADABLE');
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'name: x\nphases: []\n');
    await expect(loadPlanFile(bad)).rejects.toSatisfy((e: unknown) => PlanError.isInstance(e) && (e as PlanError).message.includes(bad));
    if (process.getuid?.() !== 0) {
      await chmod(bad, 0o000);
      await expect(loadPlanFile(bad)).rejects.toMatchObject({ code: 'PLAN_UNREADABLE' });
    }
  });
});

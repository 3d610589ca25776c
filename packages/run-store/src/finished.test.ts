import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan } from '@godmode/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { isFinished } from './finished.js';
import { createRun } from './run-store.js';

const plan = parsePlan('name: p\nphases:\n  - id: one\n    streams:\n      - id: a\n        worker: { adapter: command, options: { command: "true" } }\n', 'plan.yaml');
let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('isFinished', () => {
  it.each([
    [[], false],
    [['run.started'], false],
    [['run.started', 'run.finished'], true],
    [['run.started', 'run.stopped', 'run.finished'], true],
    [['run.started', 'run.stopped'], false],
    [['run.started', 'run.finished', 'run.takeover'], false],
    [['run.started', 'run.takeover', 'run.finished'], true],
    [['run.started', 'run.finished', 'stream.reconciled'], true],
  ])('%j → %s', async (kinds, expected) => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-finished-'));
    const store = await createRun({ root: dir, plan, planDir: dir, runId: 'r1' });
    for (const kind of kinds) await store.journal.append(kind, {});
    expect(await isFinished(store)).toBe(expected);
    await store.close();
  });
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRun, openRun } from '@godmode/run-store';
import { parsePlan, verdictSchema } from '@godmode/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileRun } from '../src/index.js';
import { real, tempDir, writeTree } from './helpers/tree.js';

let root: { dir: string; remove: () => void };
beforeEach(() => {
  root = tempDir();
});
afterEach(() => root.remove());

const planText = JSON.stringify({
  name: 'demo',
  phases: [
    {
      id: 'build',
      streams: [
        { id: 'cli', worker: { adapter: 'command', options: { command: 'true' } }, deliverables: ['cli.ts', 'README.md'] },
        { id: 'auth', worker: { adapter: 'command', options: { command: 'true' } }, deliverables: [{ glob: 'auth/*.ts', min: 2 }] },
      ],
    },
  ],
});

describe('reconcileRun', () => {
  it('writes verdicts through the run store and journals them without a lease', async () => {
    const plan = parsePlan(planText, 'plan.json');
    const store = await createRun({ root: root.dir, plan, planDir: root.dir, runId: 'run-1' });
    writeTree(store.layout.workDir('cli'), { 'cli.ts': real, 'README.md': '# cli\n\nUsage.\n' });
    writeFileSync(store.layout.resultFile('cli'), JSON.stringify({ status: 'throttled stub' }));
    writeTree(store.layout.workDir('auth'), { 'auth/a.ts': real });
    await store.close();

    const reopened = await openRun(path.join(root.dir, 'run-1'));
    const verdicts = await reconcileRun(reopened);
    expect(verdicts.map((v) => [v.stream, v.status, v.divergence])).toEqual([
      ['cli', 'shipped', 'understated'],
      ['auth', 'partial', 'no-claim'],
    ]);
    expect(await reopened.readVerdict('cli')).toEqual(verdictSchema.parse(verdicts[0]));
    const { entries } = await reopened.journal.read();
    const reconciled = entries.filter((e) => e.kind === 'stream.reconciled');
    expect(reconciled.map((e) => (e.payload as { stream: string }).stream)).toEqual(['cli', 'auth']);
    expect(reconciled.every((e) => e.token === undefined)).toBe(true);
    expect(await reopened.lease.read().catch(() => null)).toBeNull();

    const one = await reconcileRun(reopened, { stream: 'auth' });
    expect(one.map((v) => v.stream)).toEqual(['auth']);
    await expect(reconcileRun(reopened, { stream: 'nope' })).rejects.toMatchObject({ code: 'RECONCILE_UNKNOWN_STREAM', audience: 'user' });
    await reopened.close();
  });
});

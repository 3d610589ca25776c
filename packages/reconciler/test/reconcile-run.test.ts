import { mkdirSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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

  it("ignores a claim older than the stream's last attempt (from the journal) and a work tree swapped for a symlink", async () => {
    const plan = parsePlan(planText, 'plan.json');
    const store = await createRun({ root: root.dir, plan, planDir: root.dir, runId: 'run-2' });
    // cli: attempt 1 claimed success long ago; attempt 2 (journaled now) wrote nothing
    writeFileSync(store.layout.resultFile('cli'), JSON.stringify({ status: 'success' }));
    const old = Date.now() / 1000 - 3600;
    utimesSync(store.layout.resultFile('cli'), old, old);
    await store.journal.append('stream.spawned', { stream: 'cli', attempt: 1 });
    await store.journal.append('stream.spawned', { stream: 'cli', attempt: 2 });
    // auth: its work tree is replaced by a symlink to a folder outside the run holding every deliverable
    const outside = path.join(root.dir, 'outside');
    writeTree(outside, { 'auth/a.ts': real, 'auth/b.ts': real });
    renameSync(store.layout.workDir('auth'), path.join(root.dir, 'moved-away'));
    mkdirSync(path.dirname(store.layout.workDir('auth')), { recursive: true });
    symlinkSync(outside, store.layout.workDir('auth'));
    await store.close();

    const reopened = await openRun(path.join(root.dir, 'run-2'));
    const [cli, auth] = await reconcileRun(reopened);
    expect([cli?.status, cli?.divergence, cli?.attempt, cli?.claim.state]).toEqual(['missing', 'no-claim', 2, 'absent']);
    expect(cli?.claim.problem).toMatch(/^stale: .*before attempt 2 started/);
    expect([auth?.status, auth?.deliverables.present]).toEqual(['missing', 0]);
    expect(auth?.sentence).toMatch(/symlink.*tampering/);
    await reopened.close();
  });
});

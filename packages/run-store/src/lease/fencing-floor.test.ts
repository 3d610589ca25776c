import { rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan } from '@godmode/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createRun, openRun } from '../run-store.js';

const plan = parsePlan('name: p\nphases:\n  - id: one\n    streams:\n      - id: a\n        worker: { adapter: command, options: { command: "true" } }\n', 'plan.yaml');
let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('fencing tokens never restart', () => {
  it.each([
    ['leases/ deleted', ['leases']],
    ['leases/ and lease.json deleted', ['leases', 'lease.json']],
  ])('after %s, the next token is above every token in the journal', async (_name, removed) => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-fence-'));
    const store = await createRun({ root: dir, plan, planDir: dir, runId: 'r1' });
    for (let i = 1; i <= 3; i++) {
      const lease = (await store.lease.acquire({ holder: `c${i}`, ttlMs: 10_000 }))!;
      expect(lease.token).toBe(i);
      await store.journal.append('run.takeover', { token: i }, { token: lease.token });
      await store.lease.release(lease);
    }
    await store.close();
    for (const name of removed) await rm(path.join(store.dir, name), { recursive: true, force: true });
    const again = await openRun(store.dir);
    const lease = (await again.lease.acquire({ holder: 'c4', ttlMs: 10_000 }))!;
    expect(lease.token).toBe(4);
    await expect(again.journal.append('run.takeover', { token: 4 }, { token: lease.token })).resolves.toMatchObject({ token: 4 });
    await again.close();
  });
});
